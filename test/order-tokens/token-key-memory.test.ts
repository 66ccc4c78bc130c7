import { Redis } from 'ioredis';
import { orderTokenKey } from '../../src/stores/store-keys';
import { seedProducts } from '../support/catalog';
import { forgetClaim } from '../support/claims';
import { postGraphQL } from '../support/graphql-client';
import { TEST_REDIS_URL } from '../support/redis';
import { withTestServer } from '../support/test-server-fixture';
import { issueToken, newKey } from './token-client';

// What a key means is the database's to say, also when the key was answered with another key's
// order (a token that order used): found from outside, a retry of such a key after Redis forgot its
// claim placed a second order, and a key retried with another order's token was answered with that
// order. FLAG, so that a second order of the same cart is placed rather than held.
const fixture = withTestServer('token-key-memory', {
  ORDER_RATE_LIMIT: '10000/10',
  SEMANTIC_DUPLICATE_POLICY: 'FLAG',
});

const CREATE = `mutation($key: String!, $input: CreateOrderInput!) {
  createOrder(idempotencyKey: $key, input: $input) {
    __typename
    ... on OrderCreated { order { id idempotencyKey } }
    ... on DuplicateDetected { detectedBy idempotencyKey originalOrder { id idempotencyKey } }
  }
}`;

interface Answer {
  __typename: string;
  detectedBy?: string;
  idempotencyKey?: string;
  order?: { id: string; idempotencyKey: string };
  originalOrder?: { id: string; idempotencyKey: string };
}

let customer: string;

async function order(key: string, sku: string, orderToken?: string): Promise<Answer> {
  const input = { currency: 'EUR', items: [{ sku, quantity: 1 }], ...(orderToken ? { orderToken } : {}) };
  const response = await postGraphQL<{ createOrder: Answer }>(
    fixture.server.url,
    CREATE,
    { key, input },
    { token: customer },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.createOrder;
}

/** What IDEMPOTENCY_RETENTION_MS's end, a flush or a failover does to the key's claim. */
async function forgetMonasClaim(key: string): Promise<void> {
  expect(await forgetClaim(fixture.server, 'mona', key)).toBe(1);
}

async function ordersOf(sku: string): Promise<string[]> {
  const rows = await fixture.db.query<{ idempotencyKey: string }>(
    `SELECT o."idempotencyKey" FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" WHERE i."sku" = $1`,
    [sku],
  );
  return rows.map((row) => row.idempotencyKey);
}

beforeAll(async () => {
  customer = await fixture.server.tokenFor('mona');
});

describe('a key answered with the order of a token it carried', () => {
  it('keeps that answer in the database: its retries, with the token, without it or with a new one, place nothing', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TKM-A', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, customer);
    const first = newKey();
    const created = await order(first, 'TKM-A', token);
    expect(created.__typename).toBe('OrderCreated');

    const second = newKey();
    expect(await order(second, 'TKM-A', token)).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'TOKEN',
      idempotencyKey: first,
      originalOrder: { id: created.order!.id, idempotencyKey: first },
    });
    // The same request again, from Redis: the first order, named by its own key.
    expect(await order(second, 'TKM-A', token)).toMatchObject({
      detectedBy: 'CACHE',
      originalOrder: { id: created.order!.id, idempotencyKey: first },
    });

    await forgetMonasClaim(second);
    expect(await order(second, 'TKM-A')).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'DATABASE',
      originalOrder: { id: created.order!.id, idempotencyKey: first },
    });
    await forgetMonasClaim(second);
    const { token: fresh } = await issueToken(fixture.server, customer);
    expect(await order(second, 'TKM-A', fresh)).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: created.order!.id },
    });
    expect(await ordersOf('TKM-A')).toEqual([first]);
    // The fresh token was given back: it still places an order of its own.
    expect((await order(newKey(), 'TKM-A', fresh)).__typename).toBe('OrderCreated');
  });

  it('keeps the answer too when the token store had forgotten the token and the order index stopped the key', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TKM-C', priceCents: 300, stock: 10 }]);
    const { token } = await issueToken(fixture.server, customer);
    const first = newKey();
    const created = await order(first, 'TKM-C', token);
    const redis = new Redis(TEST_REDIS_URL);
    try {
      // Redis flushed: the token's state is gone, the order's token index is not.
      expect(await redis.del(orderTokenKey(fixture.server.config.redisKeyPrefix, token.split('.')[1]))).toBe(1);
    } finally {
      redis.disconnect();
    }
    const second = newKey();
    expect(await order(second, 'TKM-C', token)).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: created.order!.id },
    });
    await forgetMonasClaim(second);
    const { token: fresh } = await issueToken(fixture.server, customer);
    expect(await order(second, 'TKM-C', fresh)).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: created.order!.id },
    });
    expect(await ordersOf('TKM-C')).toEqual([first]);
  });

  it('answers a key that stands for an order with that order, whichever used token a retry carries', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'TKM-B', priceCents: 300, stock: 10 }]);
    const own = newKey();
    const mine = await order(own, 'TKM-B');
    const { token } = await issueToken(fixture.server, customer);
    const other = await order(newKey(), 'TKM-B', token);
    expect(other.__typename).toBe('OrderCreated');

    await forgetMonasClaim(own);
    expect(await order(own, 'TKM-B', token)).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'DATABASE',
      originalOrder: { id: mine.order!.id, idempotencyKey: own },
    });
    expect(await order(own, 'TKM-B')).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: mine.order!.id },
    });
    expect((await ordersOf('TKM-B')).sort()).toHaveLength(2);
  });
});
