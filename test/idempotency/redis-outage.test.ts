import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER } from '../support/operations';
import { countsBy } from '../support/metrics';
import { freePort, refusesConnections, startRedisServer } from '../support/redis-server';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { tally } from '../support/order-client';
import { waitUntil } from '../support/wait';

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

/** Claims that fell back to the database so far (the claim operation only: one per request whose claim failed). */
async function claimFallbacks(server: TestServer): Promise<number> {
  return (await countsBy(server.app.services.metrics.claimStoreFallbacks, 'operation'))['claim'] ?? 0;
}

describe('with Redis killed in the middle of a storm', () => {
  it('creates exactly one order; Redis is shown dead mid-storm, and every request after its death answers from the DATABASE', async () => {
    const redis = await startRedisServer();
    const server = await startTestServer(db.url, 'redis-killed', { REDIS_URL: redis.url });
    try {
      await seedProducts(db.url, [{ sku: 'KILLED-1', priceCents: 100, stock: 100 }]);
      const token = await server.tokenFor('grace');
      const key = `key-${randomUUID()}`;
      const input = { currency: 'EUR', items: [{ sku: 'KILLED-1', quantity: 1 }] };
      const fallbacksBefore = await claimFallbacks(server);

      // The first wave: 100 clients at once with Redis up; Redis is SIGKILLed after its 20th answer.
      let answered = 0;
      let killed: Promise<void> | undefined;
      const firstWave = Promise.all(
        Array.from({ length: 100 }, async () => {
          const result = await send(server, token, key, input);
          if (++answered === 20) killed = redis.kill();
          return result;
        }),
      );
      await waitUntil('the 20th answer of the first wave', () => Promise.resolve(killed !== undefined), 30_000);
      await killed;
      const answeredBeforeDeath = answered;
      // The fault happened: the process exited and its port refuses connections.
      expect([
        redis.process.exitCode !== null || redis.process.signalCode !== null,
        await refusesConnections(redis.port),
      ]).toEqual([true, true]);
      // The second wave starts with Redis dead, while the first may still be in flight.
      const secondWave = await Promise.all(Array.from({ length: 100 }, () => send(server, token, key, input)));
      const first = await firstWave;
      const fallbacks = (await claimFallbacks(server)) - fallbacksBefore;

      const firstCounts = tally(first);
      const secondCounts = tally(secondWave);
      console.log(
        `storm of 2 × 100 with Redis killed after 20 answers (${answeredBeforeDeath} before it was dead): ` +
          `first wave ${JSON.stringify(firstCounts)}, second wave ${JSON.stringify(secondCounts)}, claim fallbacks ${fallbacks}`,
      );
      expect(answeredBeforeDeath).toBeLessThan(100);
      expect(firstCounts['OrderCreated']).toBe(1);
      for (const label of Object.keys(firstCounts))
        expect([
          'OrderCreated',
          'DuplicateDetected/CACHE',
          'DuplicateDetected/DATABASE',
          'RequestInProgress',
        ]).toContain(label);
      // Every request of the second wave found Redis dead and was answered by the database.
      expect(secondCounts).toEqual({ 'DuplicateDetected/DATABASE': 100 });
      // Each failed claim is one fallback, and the database answers it (as a duplicate; the creator
      // at most may have claimed with Redis already gone): at least the second wave, at most every
      // DATABASE answer and the creation.
      expect(fallbacks).toBeGreaterThanOrEqual(100);
      expect(fallbacks).toBeLessThanOrEqual((firstCounts['DuplicateDetected/DATABASE'] ?? 0) + 100 + 1);
      await expectOneOrder(key, 'KILLED-1', 99);
      const created = first.find((result) => result.__typename === 'OrderCreated')!.order!.id;
      expect(new Set([...first, ...secondWave].flatMap((result) => result.originalOrder?.id ?? []))).toEqual(
        new Set([created]),
      );
    } finally {
      await server.stop();
      await redis.kill();
    }
  });
});
