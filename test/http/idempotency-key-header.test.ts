import { Client } from 'pg';
import { ordersWithKey, seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER } from '../support/operations';
import { waitForLockWait } from '../support/locks';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';

type Result = { createOrder: { __typename: string; retryAfterMs?: number } | null };

// SEMANTIC_DUPLICATE_POLICY=OFF: this suite sends one customer's same cart under many new keys, which
// the live semantic check would hold as PossibleDuplicate; that behaviour is tested in test/dedupe.
let token: string;

const fixture = withTestServer('idem-header', {
  SEMANTIC_DUPLICATE_POLICY: 'OFF',
  IDEMPOTENCY_RETRY_AFTER_MS: '1500',
  REDIS_TIMEOUT_MS: '5000',
});

beforeAll(async () => {
  // A generous Redis timeout: a claim that timed out on a busy machine would run unclaimed and
  // wait on the test's row lock instead of answering RequestInProgress.
  await seedProducts(fixture.db.url, [{ sku: 'HDR-1', priceCents: 250, stock: 1_000 }]);
  token = await fixture.server.tokenFor('ivy');
});

const input = { currency: 'EUR', items: [{ sku: 'HDR-1', quantity: 1 }] };

function send(
  key: string,
  header: string | undefined,
  query = CREATE_ORDER,
  variables: Record<string, unknown> = { key, input },
) {
  return postGraphQL<Result>(fixture.server.url, query, variables, {
    token,
    headers: header === undefined ? {} : { 'idempotency-key': header },
  });
}

describe('the Idempotency-Key header', () => {
  it('equal to the argument: the order is created, and its replay carries Idempotent-Replayed: true', async () => {
    const key = newKey('hdr');
    const first = await send(key, key);
    expect([first.status, first.body.data?.createOrder?.__typename, first.headers['idempotent-replayed']]).toEqual([
      200,
      'OrderCreated',
      undefined,
    ]);
    const replay = await send(key, key);
    expect([replay.status, replay.body.data?.createOrder?.__typename, replay.headers['idempotent-replayed']]).toEqual([
      200,
      'DuplicateDetected',
      'true',
    ]);
    // The header is optional: a replay without it is marked all the same.
    const bare = await send(key, undefined);
    expect(bare.headers['idempotent-replayed']).toBe('true');
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(1);
  });

  it("accepts the draft's structured-field form, a quoted string", async () => {
    const key = newKey('hdr');
    const response = await send(key, `"${key}"`);
    expect(response.body.data?.createOrder?.__typename).toBe('OrderCreated');
  });

  it('different from the argument: 422 IDEMPOTENCY_KEY_MISMATCH, nothing runs', async () => {
    const key = newKey('hdr');
    const response = await send(key, newKey('hdr'));
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      errors: [
        {
          message: 'The Idempotency-Key header differs from the idempotencyKey argument of createOrder.',
          extensions: { code: 'IDEMPOTENCY_KEY_MISMATCH' },
        },
      ],
    });
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(0);
  });

  it('compares with the argument after resolving variable defaults and inline literals', async () => {
    const key = newKey('hdr');
    const withDefault = `mutation ($key: String = "${key}", $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename } }`;
    expect((await send(key, newKey('hdr'), withDefault, { input })).status).toBe(422);
    const literal = `mutation ($input: CreateOrderInput!) { createOrder(idempotencyKey: "${key}", input: $input) { __typename } }`;
    expect((await send(key, newKey('hdr'), literal, { input })).status).toBe(422);
    const throughFragment = `mutation ($k: String!, $input: CreateOrderInput!) { ...Place } fragment Place on Mutation { first: createOrder(idempotencyKey: $k, input: $input) { __typename } }`;
    expect((await send(key, newKey('hdr'), throughFragment, { k: key, input })).status).toBe(422);
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(0);
    const matching = await send(key, key, withDefault, { input });
    expect(matching.body.data?.createOrder?.__typename).toBe('OrderCreated');
  });

  it.each([
    ['too short', 'short'],
    ['with a space', 'has a space-1234'],
    ['with a slash', 'abc/def-12345'],
    ['sent twice', 'key-aaaaaaaa, key-bbbbbbbb'],
    ['empty quotes', '""'],
  ])('not a valid key (%s): 400 BAD_IDEMPOTENCY_KEY before any resolver', async (_label, header) => {
    const key = newKey('hdr');
    const response = await send(key, header);
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['BAD_IDEMPOTENCY_KEY']);
    expect(response.body.data).toBeUndefined();
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(0);
  });

  it('answers RequestInProgress with Retry-After in whole seconds, rounded up', async () => {
    const key = newKey('hdr');
    // Hold the product row so the first request stays in flight with its claim.
    const blocker = new Client({ connectionString: fixture.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM "Product" WHERE "sku" = 'HDR-1' FOR UPDATE`);
    let first: Promise<{ body: { data?: Result | null } }> | undefined;
    try {
      first = send(key, key);
      await waitForLockWait(fixture.db);
      const second = await send(key, key);
      expect(second.body.data?.createOrder).toEqual({
        __typename: 'RequestInProgress',
        idempotencyKey: key,
        retryAfterMs: 1500,
      });
      expect(second.headers['retry-after']).toBe('2');
      expect(second.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    expect((await first).body.data?.createOrder?.__typename).toBe('OrderCreated');
  });
});
