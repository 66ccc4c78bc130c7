import { randomUUID } from 'node:crypto';
import { postGraphQL } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { changesOf, placeOrders, seedProduct, stockOf } from './lifecycle-client';

// The Idempotency-Key header on GraphQL lifecycle mutations does what it does on createOrder: it is
// checked against the key the operation gives (argument or @idempotent(key:) directive), never taken
// as the key by itself (docs/http.md, "Request headers").

const fixture = withTestServer('lifecycle-key-header', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });

/** Each lifecycle mutation's field, with its arguments other than the key (none of them changes anything here). */
const FIELDS: Record<string, string> = {
  cancelOrder: `cancelOrder(orderId: "${randomUUID()}", reason: "header"`,
  refundOrder: `refundOrder(orderId: "${randomUUID()}", amountCents: 1`,
  changeShippingAddress: `changeShippingAddress(orderId: "${randomUUID()}", address: { line1: "1 A St", city: "Lyon", postalCode: "69001", country: "FR" }`,
  adjustInventory: 'adjustInventory(sku: "HDR-L", delta: 1, reason: "header"',
  releaseHeldOrder: `releaseHeldOrder(heldOrderId: "${randomUUID()}"`,
  dismissHeldOrder: `dismissHeldOrder(heldOrderId: "${randomUUID()}", reason: "header"`,
};

/** One lifecycle mutation with the key as `keyPart` (an argument, a directive, or nothing) and the header. */
async function send(field: string, keyPart: { argument?: string; directive?: string }, header?: string) {
  const argument = keyPart.argument ? `, idempotencyKey: "${keyPart.argument}"` : '';
  const directive = keyPart.directive ? ` @idempotent(key: "${keyPart.directive}")` : '';
  const query = `mutation { ${FIELDS[field]}${argument})${directive} {
    __typename ... on InvalidIdempotencyKey { message } } }`;
  return postGraphQL<Record<string, { __typename: string; message?: string }>>(
    fixture.server.url,
    query,
    {},
    {
      token: await fixture.server.tokenFor('hdr-admin', 'admin'),
      headers: header === undefined ? {} : { 'idempotency-key': header },
    },
  );
}

describe('the Idempotency-Key header on the lifecycle mutations', () => {
  beforeAll(() => seedProduct(fixture.db, 'HDR-L', 5));

  it('alone is not the key, as for createOrder: InvalidIdempotencyKey, nothing changed', async () => {
    for (const field of Object.keys(FIELDS)) {
      const reply = await send(field, {}, newKey('hdr-alone'));
      expect([field, reply.status, reply.body.data?.[field]]).toEqual([
        field,
        200,
        { __typename: 'InvalidIdempotencyKey', message: expect.stringContaining('An idempotency key is required') },
      ]);
    }
    expect(await stockOf(fixture.db, 'HDR-L')).toBe(5);
    // createOrder: its key argument is required, so the header alone is a validation error.
    const order = await postGraphQL(
      fixture.server.url,
      'mutation { createOrder(input: { currency: "EUR", items: [{ sku: "HDR-L", quantity: 1 }] }) { __typename } }',
      {},
      { token: await fixture.server.tokenFor('hdr-olga'), headers: { 'idempotency-key': newKey('hdr-order') } },
    );
    expect(order.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await stockOf(fixture.db, 'HDR-L')).toBe(5);
  });

  it('different from the key, as argument or as directive: 422 IDEMPOTENCY_KEY_MISMATCH before anything runs', async () => {
    for (const field of Object.keys(FIELDS)) {
      for (const keyPart of [{ argument: newKey('hdr-arg') }, { directive: newKey('hdr-dir') }]) {
        const reply = await send(field, keyPart, newKey('hdr-other'));
        expect([field, keyPart, reply.status, reply.body.errors?.[0]?.extensions?.['code']]).toEqual([
          field,
          keyPart,
          422,
          'IDEMPOTENCY_KEY_MISMATCH',
        ]);
      }
    }
    expect(await stockOf(fixture.db, 'HDR-L')).toBe(5);
  });

  it('equal to the key, as argument or as directive: one change, and its repeat is marked Idempotent-Replayed', async () => {
    const { server, db } = fixture;
    const [orderId] = await placeOrders(server, 'HDR-L', 1, 1, () => 'hdr-cora');
    const token = await server.tokenFor('hdr-cora');
    const key = newKey('hdr-same');
    const cancel = (form: 'argument' | 'directive') => {
      const query =
        form === 'argument'
          ? `mutation { cancelOrder(orderId: "${orderId}", reason: "same", idempotencyKey: "${key}") { __typename } }`
          : `mutation { cancelOrder(orderId: "${orderId}", reason: "same") @idempotent(key: "${key}") { __typename } }`;
      return postGraphQL<{ cancelOrder: { __typename: string } }>(
        server.url,
        query,
        {},
        {
          token,
          headers: { 'idempotency-key': key },
        },
      );
    };
    const first = await cancel('directive');
    const repeat = await cancel('argument');
    expect([first.body.data?.cancelOrder.__typename, first.headers['idempotent-replayed']]).toEqual([
      'OrderCancelled',
      undefined,
    ]);
    expect([repeat.body.data?.cancelOrder.__typename, repeat.headers['idempotent-replayed']]).toEqual([
      'OrderCancelled',
      'true',
    ]);
    expect(await changesOf(db, 'cancelOrder', [orderId])).toHaveLength(1);
  });
});
