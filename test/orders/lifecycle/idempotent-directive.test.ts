import { postGraphQL } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { adjustInventory, changesOf, placeOrders, seedProduct, stockOf } from './lifecycle-client';

// The key of a lifecycle mutation as an operation directive, the form Shopify's Admin API takes:
// `cancelOrder(…) @idempotent(key: "…")`. It is the same key as the argument: one claim, one change.

const fixture = withTestServer('idempotent-directive', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });

const CANCEL_BY_DIRECTIVE = `
  mutation ($orderId: ID!, $key: String!) {
    cancelOrder(orderId: $orderId, reason: "by directive") @idempotent(key: $key) {
      __typename
      ... on OrderCancelled { detectedBy order { id status } }
      ... on InvalidIdempotencyKey { message }
    }
  }`;
const CANCEL_BY_ARGUMENT = `
  mutation ($orderId: ID!, $key: String!) {
    cancelOrder(orderId: $orderId, idempotencyKey: $key, reason: "by directive") {
      __typename
      ... on OrderCancelled { detectedBy order { id status } }
    }
  }`;

async function send(query: string, variables: Record<string, unknown>, token: string) {
  const reply = await postGraphQL<{ cancelOrder: Record<string, unknown> }>(fixture.server.url, query, variables, {
    token,
  });
  return reply.body;
}

describe('@idempotent(key:) on a lifecycle mutation', () => {
  it('cancels once through a storm that sends the key as the directive and as the argument, and repeats answer the first', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'DIRECTIVE-A', 10);
    const [orderId] = await placeOrders(server, 'DIRECTIVE-A', 1, 4, () => 'dora');
    expect(await stockOf(db, 'DIRECTIVE-A')).toBe(6);
    const token = await server.tokenFor('dora');
    const key = newKey('directive');
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        send(i % 2 ? CANCEL_BY_ARGUMENT : CANCEL_BY_DIRECTIVE, { orderId, key }, token),
      ),
    );
    // Every call of the storm is an OrderCancelled (the first, or its repeat) or told to retry.
    const kinds = answers.map((body) => body.data?.cancelOrder['__typename']);
    expect(kinds.every((kind) => kind === 'OrderCancelled' || kind === 'RequestInProgress')).toBe(true);
    expect(kinds.filter((kind) => kind === 'OrderCancelled').length).toBeGreaterThan(0);
    // One change: the stock came back once.
    expect(await stockOf(db, 'DIRECTIVE-A')).toBe(10);
    expect(await changesOf(db, 'cancelOrder', [orderId])).toHaveLength(1);
    // A later repeat in either form answers the first cancellation.
    for (const query of [CANCEL_BY_DIRECTIVE, CANCEL_BY_ARGUMENT]) {
      const repeat = await send(query, { orderId, key }, token);
      expect(repeat.data?.cancelOrder).toMatchObject({
        __typename: 'OrderCancelled',
        detectedBy: expect.stringMatching(/^(CACHE|DATABASE)$/),
        order: { id: orderId, status: 'CANCELLED' },
      });
    }
  });

  it('refuses a directive and an argument that differ, and answers a call with neither as InvalidIdempotencyKey', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'DIRECTIVE-B', 5);
    const [orderId] = await placeOrders(server, 'DIRECTIVE-B', 1, 1, () => 'dora');
    const token = await server.tokenFor('dora');
    const mismatch = await send(
      `mutation ($orderId: ID!) {
        cancelOrder(orderId: $orderId, idempotencyKey: "key-one-1234", reason: "x") @idempotent(key: "key-two-1234") { __typename }
      }`,
      { orderId },
      token,
    );
    expect(mismatch.errors?.[0]?.extensions?.['code']).toBe('IDEMPOTENCY_KEY_MISMATCH');
    const without = await send(
      `mutation ($orderId: ID!) {
        cancelOrder(orderId: $orderId, reason: "x") { __typename ... on InvalidIdempotencyKey { message } }
      }`,
      { orderId },
      token,
    );
    expect(without.data?.cancelOrder['__typename']).toBe('InvalidIdempotencyKey');
    // Neither changed anything.
    expect(await stockOf(db, 'DIRECTIVE-B')).toBe(4);
    expect(await changesOf(db, 'cancelOrder', [orderId])).toHaveLength(0);
  });

  it('keys an admin’s stock adjustment by directive as by argument', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'DIRECTIVE-C', 5);
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('adjust');
    const byDirective = await postGraphQL<{ adjustInventory: Record<string, unknown> }>(
      server.url,
      `mutation ($key: String!) {
        adjustInventory(sku: "DIRECTIVE-C", delta: 10, reason: "delivery") @idempotent(key: $key) { __typename }
      }`,
      { key },
      { token: admin },
    );
    expect(byDirective.body.data?.adjustInventory['__typename']).toBe('InventoryAdjusted');
    // The same key as the argument is a repeat: +10 once, not +20.
    const repeat = await adjustInventory(server.url, admin, { sku: 'DIRECTIVE-C', delta: 10, key, reason: 'delivery' });
    expect(repeat['__typename']).toBe('InventoryAdjusted');
    expect(await stockOf(db, 'DIRECTIVE-C')).toBe(15);
  });

  it('is accepted on createOrder when it agrees with the required argument, and refused when it does not', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'DIRECTIVE-D', 5);
    const token = await server.tokenFor('dora');
    const create = (argumentKey: string, directiveKey: string) =>
      postGraphQL<{ createOrder: Record<string, unknown> }>(
        server.url,
        `mutation ($argumentKey: String!, $directiveKey: String!) {
          createOrder(idempotencyKey: $argumentKey, input: { currency: "EUR", items: [{ sku: "DIRECTIVE-D", quantity: 1 }] })
            @idempotent(key: $directiveKey) { __typename }
        }`,
        { argumentKey, directiveKey },
        { token },
      );
    const key = newKey('create');
    expect((await create(key, key)).body.data?.createOrder['__typename']).toBe('OrderCreated');
    const other = newKey('create');
    expect((await create(other, newKey('create'))).body.errors?.[0]?.extensions?.['code']).toBe(
      'IDEMPOTENCY_KEY_MISMATCH',
    );
    expect(await stockOf(db, 'DIRECTIVE-D')).toBe(4);
  });

  it('is refused (IDEMPOTENCY_KEY_NOT_SUPPORTED) on a field no guard runs for, which then runs not at all', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'DIRECTIVE-U', 4);
    const admin = await server.tokenFor('ada', 'admin');
    const upsert = `mutation ($key: String!) {
      upsertProduct(input: { sku: "DIRECTIVE-U", name: "Tea", priceCents: 100, currency: "EUR", stock: 99 }) @idempotent(key: $key) { sku stock }
    }`;
    const refused = await postGraphQL<{ upsertProduct: { stock: number } }>(
      server.url,
      upsert,
      { key: newKey('unguarded') },
      { token: admin },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['IDEMPOTENCY_KEY_NOT_SUPPORTED']);
    expect(await stockOf(db, 'DIRECTIVE-U')).toBe(4);
    const query = await postGraphQL(
      server.url,
      '{ product(sku: "DIRECTIVE-U") @idempotent(key: "k-12345678") { sku } }',
      {},
      {
        token: admin,
      },
    );
    expect(query.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['IDEMPOTENCY_KEY_NOT_SUPPORTED']);
  });
});
