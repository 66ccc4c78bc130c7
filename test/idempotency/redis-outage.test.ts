import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER } from '../support/operations';
import { freePort, startRedisServer } from '../support/redis-server';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { tally } from '../support/order-client';

type Result = { __typename: string; detectedBy?: string; originalOrder?: { id: string }; order?: { id: string } };

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('redis_outage');
});

afterAll(async () => {
  await db?.drop();
});

async function send(server: TestServer, token: string, key: string, input: object): Promise<Result> {
  const response = await postGraphQL<{ createOrder: Result }>(server.url, CREATE_ORDER, { key, input }, { token });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

async function expectOneOrder(key: string, sku: string, stockLeft: number): Promise<void> {
  const orders = await db.query<{ id: string }>('SELECT "id" FROM "Order" WHERE "idempotencyKey" = $1', [key]);
  expect(orders).toHaveLength(1);
  const [product] = await db.query<{ stock: number }>('SELECT "stock" FROM "Product" WHERE "sku" = $1', [sku]);
  expect(product.stock).toBe(stockLeft);
}

describe('with Redis unreachable', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(db.url, 'redis-closed-port', { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  });
  afterAll(() => server?.stop());

  it('still creates exactly one order from a storm of 200, and repeats answer DuplicateDetected from the DATABASE', async () => {
    await seedProducts(db.url, [{ sku: 'NOREDIS-1', priceCents: 100, stock: 100 }]);
    const token = await server.tokenFor('frank');
    const key = `key-${randomUUID()}`;
    const input = { currency: 'EUR', items: [{ sku: 'NOREDIS-1', quantity: 2 }] };
    const results = await Promise.all(Array.from({ length: 200 }, () => send(server, token, key, input)));
    console.log(`storm of 200 with Redis unreachable: ${JSON.stringify(tally(results))}`);
    expect(tally(results)).toEqual({ OrderCreated: 1, 'DuplicateDetected/DATABASE': 199 });
    await expectOneOrder(key, 'NOREDIS-1', 98);
    const fallbacks = await server.app.services.metrics.claimStoreFallbacks.get();
    expect(fallbacks.values.reduce((sum, value) => sum + value.value, 0)).toBeGreaterThanOrEqual(200);
  });
});

describe('with Redis killed in the middle of a storm', () => {
  it('creates exactly one order, and repeats after the crash answer from the DATABASE', async () => {
    const redis = await startRedisServer();
    const server = await startTestServer(db.url, 'redis-killed', { REDIS_URL: redis.url });
    try {
      await seedProducts(db.url, [{ sku: 'KILLED-1', priceCents: 100, stock: 100 }]);
      const token = await server.tokenFor('grace');
      const key = `key-${randomUUID()}`;
      const input = { currency: 'EUR', items: [{ sku: 'KILLED-1', quantity: 1 }] };
      let answered = 0;
      let killed: Promise<void> | undefined;
      const results = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const result = await send(server, token, key, input);
          if (++answered === 20) killed = redis.kill();
          return result;
        }),
      );
      await killed;
      const counts = tally(results);
      console.log(`storm of 200 with Redis killed after 20 answers: ${JSON.stringify(counts)}`);
      expect(counts['OrderCreated']).toBe(1);
      const others = Object.entries(counts).filter(([label]) => label !== 'OrderCreated');
      for (const [label] of others)
        expect(['DuplicateDetected/CACHE', 'DuplicateDetected/DATABASE', 'RequestInProgress']).toContain(label);
      await expectOneOrder(key, 'KILLED-1', 99);
      const created = results.find((result) => result.__typename === 'OrderCreated')!.order!.id;
      const repeat = await send(server, token, key, input);
      expect(repeat).toMatchObject({
        __typename: 'DuplicateDetected',
        detectedBy: 'DATABASE',
        originalOrder: { id: created },
      });
    } finally {
      await server.stop();
      await redis.kill();
    }
  });
});
