import { Redis } from 'ioredis';
import { seedProducts } from '../support/catalog';
import { TEST_REDIS_URL } from '../support/redis';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { issueToken, newKey, ordersWithToken, orderWithToken, tally } from './token-client';
import { withTestServer } from '../support/test-server-fixture';
import { orderTokenKey } from '../../src/stores/store-keys';

let alice: string;

const fixture = withTestServer('order-tokens', { ORDER_RATE_LIMIT: '10000/10' });

beforeAll(async () => {
  // One customer sends 100 new keys below: as many fresh claims, which the default order rate
  // limit (30/10) would partly refuse with RATE_LIMITED. This suite is about tokens, not that limit.
  alice = await fixture.server.tokenFor('alice');
});

const orderCount = async () =>
  Number((await fixture.db.query<{ n: string }>('SELECT count(*) AS n FROM "Order"'))[0].n);

describe('issueOrderToken', () => {
  it('returns an unguessable token with an expiry ten minutes ahead, recorded in Redis as issued', async () => {
    const before = Date.now();
    const { token, expiresAt } = await issueToken(fixture.server, alice);
    expect(token).toMatch(/^ot1\.[0-9a-f]{32}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    const expiry = new Date(expiresAt).getTime();
    expect(expiry).toBeGreaterThanOrEqual(before + 600_000 - 1_000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 600_000);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const key = orderTokenKey(fixture.server.config.redisKeyPrefix, token.split('.')[1]);
      expect(await redis.get(key)).toBe('issued');
      expect(await redis.pttl(key)).toBeGreaterThan(590_000);
    } finally {
      redis.disconnect();
    }
  });

  it('gives two calls two different tokens', async () => {
    const [first, second] = await Promise.all([issueToken(fixture.server, alice), issueToken(fixture.server, alice)]);
    expect(first.token).not.toBe(second.token);
  });
});

describe('createOrder with an order token', () => {
  it('creates the order with a valid token, and a replay with another key answers DuplicateDetected TOKEN with it', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-VALID', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, alice);
    const input = { currency: 'EUR', items: [{ sku: 'TOK-VALID', quantity: 2 }], orderToken: token };
    const created = await orderWithToken(fixture.server, alice, newKey(), input);
    expect(created.__typename).toBe('OrderCreated');
    const replay = await orderWithToken(fixture.server, alice, newKey(), input);
    expect(replay).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'TOKEN',
      originalOrder: { id: created.order!.id },
    });
    expect(await ordersWithToken(fixture.db, token)).toEqual([expect.objectContaining({ id: created.order!.id })]);
    const [product] = await fixture.db.query<{ stock: number }>('SELECT "stock" FROM "Product" WHERE "sku" = $1', [
      'TOK-VALID',
    ]);
    expect(product.stock).toBe(8);
  });

  it("answers a replay under another key with another payload with the token's order, and that key's retry the same", async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-OTHER', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, alice);
    const created = await orderWithToken(fixture.server, alice, newKey(), {
      currency: 'EUR',
      items: [{ sku: 'TOK-OTHER', quantity: 2 }],
      orderToken: token,
    });
    // The app resent the checkout with the cart changed meanwhile, under a key of its own.
    const key = newKey();
    const changed = { currency: 'EUR', items: [{ sku: 'TOK-OTHER', quantity: 3 }], orderToken: token };
    const replay = await orderWithToken(fixture.server, alice, key, changed);
    expect(replay).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: created.order!.id } });
    // Its retry is the same request under the same key, not the key reused.
    const retried = await orderWithToken(fixture.server, alice, key, changed);
    expect(retried).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: created.order!.id } });
    expect(await ordersWithToken(fixture.db, token)).toHaveLength(1);
  });

  it('still applies the key guard: the same key and token again answers DuplicateDetected from the CACHE', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-KEY', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, alice);
    const key = newKey();
    const input = { currency: 'EUR', items: [{ sku: 'TOK-KEY', quantity: 1 }], orderToken: token };
    const created = await orderWithToken(fixture.server, alice, key, input);
    const again = await orderWithToken(fixture.server, alice, key, input);
    expect(again).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'CACHE',
      originalOrder: { id: created.order!.id },
    });
  });

  it('answers InvalidOrderToken for an unknown or tampered token and creates nothing', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-UNKNOWN', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, alice);
    const tampered = token.replace(/\.([0-9a-f])/, (_, digit: string) => `.${digit === '0' ? '1' : '0'}`);
    const before = await orderCount();
    for (const bad of ['not-a-token', `ot1.${'0'.repeat(32)}.zzzzzzzz.${'A'.repeat(43)}`, tampered]) {
      const result = await orderWithToken(fixture.server, alice, newKey(), {
        currency: 'EUR',
        items: [{ sku: 'TOK-UNKNOWN', quantity: 1 }],
        orderToken: bad,
      });
      expect(result).toEqual({
        __typename: 'InvalidOrderToken',
        message: 'The order token is unknown or belongs to someone else.',
      });
    }
    expect(await orderCount()).toBe(before);
  });

  it("answers InvalidOrderToken for another customer's token, which stays usable by its owner", async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-FOREIGN', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, alice);
    const input = { currency: 'EUR', items: [{ sku: 'TOK-FOREIGN', quantity: 1 }], orderToken: token };
    const stolen = await orderWithToken(fixture.server, await fixture.server.tokenFor('mallory'), newKey(), input);
    expect(stolen.__typename).toBe('InvalidOrderToken');
    expect(await ordersWithToken(fixture.db, token)).toEqual([]);
    expect((await orderWithToken(fixture.server, alice, newKey(), input)).__typename).toBe('OrderCreated');
  });

  it('gives the token back when the order fails: InsufficientStock, then success with the same token', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-STOCK', priceCents: 300, stock: 1 }]);
    const { token } = await issueToken(fixture.server, alice);
    const tooMany = await orderWithToken(fixture.server, alice, newKey(), {
      currency: 'EUR',
      items: [{ sku: 'TOK-STOCK', quantity: 5 }],
      orderToken: token,
    });
    expect(tooMany).toMatchObject({ __typename: 'InsufficientStock' });
    const unknownSku = await orderWithToken(fixture.server, alice, newKey(), {
      currency: 'EUR',
      items: [{ sku: 'TOK-NOPE', quantity: 1 }],
      orderToken: token,
    });
    expect(unknownSku).toMatchObject({ __typename: 'ValidationFailed' });
    expect(await ordersWithToken(fixture.db, token)).toEqual([]);
    const retried = await orderWithToken(fixture.server, alice, newKey(), {
      currency: 'EUR',
      items: [{ sku: 'TOK-STOCK', quantity: 1 }],
      orderToken: token,
    });
    expect(retried.__typename).toBe('OrderCreated');
    expect(await ordersWithToken(fixture.db, token)).toHaveLength(1);
  });

  it('lets exactly one of 100 concurrent submissions of one token with 100 distinct keys create an order', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-STORM', priceCents: 100, stock: 1_000 }]);
    const { token } = await issueToken(fixture.server, alice);
    const input = { currency: 'EUR', items: [{ sku: 'TOK-STORM', quantity: 1 }], orderToken: token };
    const results = await Promise.all(
      Array.from({ length: 100 }, () => orderWithToken(fixture.server, alice, newKey(), input)),
    );
    const counts = tally(results);
    console.log(`100 submissions of one token: ${JSON.stringify(counts)}`);
    expect(counts['OrderCreated']).toBe(1);
    expect((counts['RequestInProgress'] ?? 0) + (counts['DuplicateDetected/TOKEN'] ?? 0)).toBe(99);
    const orders = await fixture.db.query<{ id: string }>(
      `SELECT o."id" FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" WHERE i."sku" = 'TOK-STORM'`,
    );
    expect(orders).toHaveLength(1);
    const [product] = await fixture.db.query<{ stock: number }>('SELECT "stock" FROM "Product" WHERE "sku" = $1', [
      'TOK-STORM',
    ]);
    expect(product.stock).toBe(999);
  });
});

describe('a token held by another request', () => {
  async function holdToken(token: string, sinceMs: number): Promise<void> {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await redis.set(
        orderTokenKey(fixture.server.config.redisKeyPrefix, token.split('.')[1]),
        `in-use|another-request|${sinceMs}`,
        'KEEPTTL',
      );
    } finally {
      redis.disconnect();
    }
  }

  it('answers RequestInProgress with a retry hint and creates nothing while the hold is fresh', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-HELD', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, alice);
    await holdToken(token, Date.now());
    const key = newKey();
    const result = await orderWithToken(fixture.server, alice, key, {
      currency: 'EUR',
      items: [{ sku: 'TOK-HELD', quantity: 1 }],
      orderToken: token,
    });
    expect(result).toMatchObject({ __typename: 'RequestInProgress' });
    expect(result.retryAfterMs).toBeGreaterThan(0);
    expect(result.retryAfterMs).toBeLessThanOrEqual(fixture.server.config.idempotencyRetryAfterMs);
    expect(await ordersWithToken(fixture.db, token)).toEqual([]);
  });

  it('takes over a hold older than the lease (its request crashed) and creates the order once', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-STALE', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, alice);
    await holdToken(token, Date.now() - fixture.server.config.idempotencyLeaseMs - 1_000);
    const input = { currency: 'EUR', items: [{ sku: 'TOK-STALE', quantity: 1 }], orderToken: token };
    expect((await orderWithToken(fixture.server, alice, newKey(), input)).__typename).toBe('OrderCreated');
    expect(await ordersWithToken(fixture.db, token)).toHaveLength(1);
  });
});

describe('with a short token expiry', () => {
  let shortLived: TestServer;

  beforeAll(async () => {
    shortLived = await startTestServer(fixture.db.url, 'order-tokens-short', { ORDER_TOKEN_TTL_MS: '300' });
  });
  afterAll(() => shortLived?.stop());

  it('answers InvalidOrderToken for an expired token and creates nothing', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-EXPIRED', priceCents: 300, stock: 10 }]);
    const bearer = await shortLived.tokenFor('alice');
    const { token, expiresAt } = await issueToken(shortLived, bearer);
    await new Promise((resolve) => setTimeout(resolve, new Date(expiresAt).getTime() - Date.now() + 50));
    const result = await orderWithToken(shortLived, bearer, newKey(), {
      currency: 'EUR',
      items: [{ sku: 'TOK-EXPIRED', quantity: 1 }],
      orderToken: token,
    });
    expect(result).toEqual({ __typename: 'InvalidOrderToken', message: 'The order token has expired.' });
    expect(await ordersWithToken(fixture.db, token)).toEqual([]);
  });

  it('answers a used token replayed after its expiry with DuplicateDetected TOKEN from the database', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TOK-USED-EXPIRED', priceCents: 300, stock: 10 }]);
    const bearer = await shortLived.tokenFor('alice');
    const { token, expiresAt } = await issueToken(shortLived, bearer);
    const input = { currency: 'EUR', items: [{ sku: 'TOK-USED-EXPIRED', quantity: 1 }], orderToken: token };
    const created = await orderWithToken(shortLived, bearer, newKey(), input);
    expect(created.__typename).toBe('OrderCreated');
    await new Promise((resolve) => setTimeout(resolve, new Date(expiresAt).getTime() - Date.now() + 50));
    const replay = await orderWithToken(shortLived, bearer, newKey(), input);
    expect(replay).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'TOKEN',
      originalOrder: { id: created.order!.id },
    });
  });
});
