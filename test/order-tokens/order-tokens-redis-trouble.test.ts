import { Redis } from 'ioredis';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { TEST_REDIS_URL } from '../support/redis';
import { countsBy } from '../support/metrics';
import { freePort } from '../support/redis-server';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { issueToken, newKey, ordersWithToken, orderWithToken, tally } from './token-client';
import { orderTokenKey } from '../../src/stores/store-keys';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('order_tokens_redis');
});

afterAll(async () => {
  await db?.drop();
});

describe('order tokens with Redis unreachable', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(db.url, 'tokens-no-redis', { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => server?.stop());

  it('still issues tokens, and 30 concurrent submissions of one token create exactly one order (the database decides)', async () => {
    await seedProducts(db.url, [{ sku: 'TOKDOWN-1', priceCents: 100, stock: 100 }]);
    const bearer = await server.tokenFor('heidi');
    const fallbacks = () => countsBy(server.app.services.metrics.tokenStoreFallbacks, 'operation');
    expect(await fallbacks()).toEqual({});
    const { token } = await issueToken(server, bearer);
    const input = { currency: 'EUR', items: [{ sku: 'TOKDOWN-1', quantity: 1 }], orderToken: token };
    const results = await Promise.all(
      Array.from({ length: 30 }, () => orderWithToken(server, bearer, newKey(), input)),
    );
    expect(tally(results)).toEqual({ OrderCreated: 1, 'DuplicateDetected/TOKEN': 29 });
    // The trouble was met, and counted: the issue and every submission's hold fell back to the
    // database (no hold was taken, so none is settled).
    expect(await fallbacks()).toEqual({ issue: 1, acquire: 30 });
    expect(await ordersWithToken(db, token)).toHaveLength(1);
    const [product] = await db.query<{ stock: number }>('SELECT "stock" FROM "Product" WHERE "sku" = $1', [
      'TOKDOWN-1',
    ]);
    expect(product.stock).toBe(99);
  });

  it("still refuses another customer's token, since tokens verify themselves", async () => {
    await seedProducts(db.url, [{ sku: 'TOKDOWN-2', priceCents: 100, stock: 100 }]);
    const { token } = await issueToken(server, await server.tokenFor('heidi'));
    const input = { currency: 'EUR', items: [{ sku: 'TOKDOWN-2', quantity: 1 }], orderToken: token };
    expect((await orderWithToken(server, await server.tokenFor('ivan'), newKey(), input)).__typename).toBe(
      'InvalidOrderToken',
    );
    expect(await ordersWithToken(db, token)).toEqual([]);
  });
});

describe('order tokens when Redis lost the record', () => {
  it('creates the order once and answers the replay with DuplicateDetected TOKEN from the database', async () => {
    const server = await startTestServer(db.url, 'tokens-flushed');
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await seedProducts(db.url, [{ sku: 'TOKLOST-1', priceCents: 100, stock: 100 }]);
      const bearer = await server.tokenFor('judy');
      const { token } = await issueToken(server, bearer);
      const redisKey = orderTokenKey(server.config.redisKeyPrefix, token.split('.')[1]);
      expect(await redis.del(redisKey)).toBe(1);
      const input = { currency: 'EUR', items: [{ sku: 'TOKLOST-1', quantity: 1 }], orderToken: token };
      const created = await orderWithToken(server, bearer, newKey(), input);
      expect(created.__typename).toBe('OrderCreated');
      const replay = await orderWithToken(server, bearer, newKey(), input);
      expect(replay).toMatchObject({
        __typename: 'DuplicateDetected',
        detectedBy: 'TOKEN',
        originalOrder: { id: created.order!.id },
      });
      expect(await ordersWithToken(db, token)).toHaveLength(1);
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });
});
