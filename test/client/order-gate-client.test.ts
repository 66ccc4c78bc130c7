import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { OrderGateClient } from '../../src/client';
import { RedisClaimStore } from 'graphql-idempotency';
import { claimKeyPrefix } from '../../src/stores/store-keys';
import { ordersWithKey, seedProducts, stockOf } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startFlakyProxy } from '../support/flaky-proxy';
import type { FlakyProxy, ProxyStep } from '../support/flaky-proxy';
import { TEST_REDIS_URL } from '../support/redis';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

let db: TestDatabase;
let server: TestServer;
const proxies: FlakyProxy[] = [];

beforeAll(async () => {
  db = await createTestDatabase('client_sdk');
  server = await startTestServer(db.url, 'client-sdk');
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await server?.stop();
  await db?.drop();
});

async function clientThrough(
  steps: ProxyStep[],
  customerId = 'alice',
): Promise<{ client: OrderGateClient; proxy: FlakyProxy }> {
  const proxy = await startFlakyProxy(server.url, steps);
  proxies.push(proxy);
  const client = new OrderGateClient({
    url: `${proxy.url}/graphql`,
    authToken: await server.tokenFor(customerId),
    customerId,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
  });
  return { client, proxy };
}

describe('OrderGateClient against the real server', () => {
  it('retries a response the network dropped with the same key and returns the order as a replay: one order', async () => {
    await seedProducts(db.url, [{ sku: 'SDK-DROP', priceCents: 250, stock: 10 }]);
    const { client, proxy } = await clientThrough(['drop-response']);
    const outcome = await client.createOrder({ currency: 'EUR', items: [{ sku: 'SDK-DROP', quantity: 2 }] });
    expect(outcome).toMatchObject({
      ok: true,
      replayed: true,
      detectedBy: 'CACHE',
      attempts: 2,
      order: { totalCents: 500 },
    });
    expect(proxy.taken).toEqual(['drop-response', 'pass']);
    expect(await ordersWithKey(db, outcome.idempotencyKey)).toHaveLength(1);
    expect(await stockOf(db, 'SDK-DROP')).toBe(8);
  });

  it('returns Unavailable with the key when the authToken function throws on a retry, and the key resumes the one order', async () => {
    await seedProducts(db.url, [{ sku: 'SDK-AUTHFN', priceCents: 250, stock: 10 }]);
    const proxy = await startFlakyProxy(server.url, ['drop-response']);
    proxies.push(proxy);
    const token = await server.tokenFor('tina');
    let calls = 0;
    const client = new OrderGateClient({
      url: `${proxy.url}/graphql`,
      // A token refresh that fails after the first try, whose answer the network dropped.
      authToken: () => {
        calls += 1;
        if (calls > 1) throw new Error('token refresh failed');
        return token;
      },
      customerId: 'tina',
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
    });
    const outcome = await client.createOrder({ currency: 'EUR', items: [{ sku: 'SDK-AUTHFN', quantity: 1 }] });
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 3,
      failure: { kind: 'Unavailable', message: 'authToken failed: token refresh failed' },
      idempotencyKey: expect.stringMatching(/^ck1\./),
    });
    expect(proxy.taken).toEqual(['drop-response']);
    expect(await ordersWithKey(db, outcome.idempotencyKey)).toHaveLength(1);

    const resumed = await new OrderGateClient({
      url: `${server.url}/graphql`,
      authToken: token,
      customerId: 'tina',
    }).createOrder(
      { currency: 'EUR', items: [{ sku: 'SDK-AUTHFN', quantity: 1 }] },
      { idempotencyKey: outcome.idempotencyKey },
    );
    expect(resumed).toMatchObject({ ok: true, replayed: true });
    expect(await stockOf(db, 'SDK-AUTHFN')).toBe(9);
  });

  it('retries 503s and creates the order once', async () => {
    await seedProducts(db.url, [{ sku: 'SDK-503', priceCents: 250, stock: 10 }]);
    const { client } = await clientThrough(['fail-503', 'fail-503']);
    const outcome = await client.createOrder({ currency: 'EUR', items: [{ sku: 'SDK-503', quantity: 1 }] });
    expect(outcome).toMatchObject({ ok: true, replayed: false, detectedBy: null, attempts: 3 });
    expect(await ordersWithKey(db, outcome.idempotencyKey)).toHaveLength(1);
  });

  it('waits out RequestInProgress while another request holds the key, then places the order once', async () => {
    await seedProducts(db.url, [{ sku: 'SDK-BUSY', priceCents: 250, stock: 10 }]);
    const { client, proxy } = await clientThrough([]);
    const key = await client.newIdempotencyKey();
    // Another tab's request holds the key for 600 ms (a pending claim, as the guard writes it).
    const redis = new Redis(TEST_REDIS_URL);
    // The claim store refuses at once while its connection is not up yet.
    await redis.ping();
    try {
      const store = new RedisClaimStore(redis, claimKeyPrefix(server.config.redisKeyPrefix));
      const held = await store.claim(
        { operation: 'createOrder', scope: 'alice', key },
        { state: 'pending', fingerprint: 'x'.repeat(64), owner: randomUUID(), claimedAt: Date.now() },
        600,
      );
      expect(held).toBeNull();
    } finally {
      redis.disconnect();
    }
    const outcome = await client.createOrder(
      { currency: 'EUR', items: [{ sku: 'SDK-BUSY', quantity: 1 }] },
      { idempotencyKey: key },
    );
    expect(outcome).toMatchObject({ ok: true, replayed: false, idempotencyKey: key });
    expect(outcome.attempts).toBeGreaterThanOrEqual(2);
    expect(proxy.taken.length).toBe(outcome.attempts);
    expect(await ordersWithKey(db, key)).toHaveLength(1);
  });

  it('places an order with a one-time token, and answers its replay under a new key with the original (TOKEN)', async () => {
    await seedProducts(db.url, [{ sku: 'SDK-TOKEN', priceCents: 250, stock: 10 }]);
    const { client } = await clientThrough([]);
    const { token } = await client.issueOrderToken();
    const input = { currency: 'EUR', items: [{ sku: 'SDK-TOKEN', quantity: 1 }], orderToken: token };
    const first = await client.createOrder(input);
    const replay = await client.createOrder(input);
    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(replay).toMatchObject({ ok: true, replayed: true, detectedBy: 'TOKEN' });
    expect(first.ok && replay.ok && replay.order.id === first.order.id).toBe(true);
    expect(await stockOf(db, 'SDK-TOKEN')).toBe(9);
  });

  it('returns PossibleDuplicate for the same cart under a new key, with the earlier order; confirming places the second', async () => {
    await seedProducts(db.url, [{ sku: 'SDK-PD', priceCents: 250, stock: 10 }]);
    const { client, proxy } = await clientThrough([], 'paula');
    const cart = { currency: 'EUR', items: [{ sku: 'SDK-PD', quantity: 1 }] };
    const first = await client.createOrder(cart);
    const again = await client.createOrder(cart);
    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(again).toMatchObject({
      ok: false,
      attempts: 1,
      failure: {
        kind: 'PossibleDuplicate',
        similarity: expect.any(Number),
        reasons: expect.arrayContaining([expect.any(String)]),
        riskScore: null,
      },
    });
    if (!first.ok || again.ok || again.failure.kind !== 'PossibleDuplicate') throw new Error('unexpected outcomes');
    expect(again.failure.candidate).toEqual(first.order);
    // The held order the server kept (policy HOLD), which an admin can release or dismiss.
    expect(await db.query('SELECT 1 FROM "HeldOrder" WHERE id = $1', [again.failure.heldOrderId])).toHaveLength(1);
    expect(await ordersWithKey(db, again.idempotencyKey)).toHaveLength(0);
    const confirmed = await client.createOrder({ ...cart, confirmPossibleDuplicate: true });
    expect(confirmed).toMatchObject({ ok: true, replayed: false });
    expect(await ordersWithKey(db, confirmed.idempotencyKey)).toHaveLength(1);
    expect(await stockOf(db, 'SDK-PD')).toBe(8);
    expect(proxy.taken).toEqual(['pass', 'pass', 'pass']);
  });

  it('returns other answers as typed failures without retrying', async () => {
    await seedProducts(db.url, [{ sku: 'SDK-SHORT', priceCents: 250, stock: 1 }]);
    const { client, proxy } = await clientThrough([]);
    const outcome = await client.createOrder({ currency: 'EUR', items: [{ sku: 'SDK-SHORT', quantity: 3 }] });
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'InsufficientStock', sku: 'SDK-SHORT', requested: 3, available: 1 },
    });
    expect(proxy.taken).toEqual(['pass']);
  });
});
