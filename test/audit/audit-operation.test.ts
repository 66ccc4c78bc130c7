import { post, signDelivery } from '../support/channels';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { placeOrder } from '../orders/lifecycle/held-order-client';
import { cancelOrder } from '../orders/lifecycle/lifecycle-client';

const SECRET = 'audit-operation-secret-for-tests';
const fixture = withTestServer('audit-operation', { MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}` });

type Row = { outcome: string; operation: string | null; claim: string; idempotencyKey: string; channel: string | null };

/** Every audit row of a customer (or an admin), once the buffered ones are written. */
async function auditOf(customerId: string): Promise<Row[]> {
  await fixture.server.app.services.auditLog.flush();
  return fixture.db.query<Row>(
    `SELECT "outcome", "operation", "claim", "idempotencyKey", "channel" FROM "IdempotencyAuditEvent" WHERE "customerId" = $1 ORDER BY "id"`,
    [customerId],
  );
}

describe('the audit log’s operation', () => {
  beforeAll(() => seedProducts(fixture.db.url, [{ sku: 'OP-1', priceCents: 100, stock: 1_000 }]));

  it('names createOrder on every decision of an order, written in its transaction or by the guard’s observer', async () => {
    const { server } = fixture;
    const key = newKey('op');
    expect((await placeOrder(server, 'op-gina', key, 'OP-1', 1)).__typename).toBe('OrderCreated');
    expect((await placeOrder(server, 'op-gina', key, 'OP-1', 1)).__typename).toBe('DuplicateDetected');
    expect((await placeOrder(server, 'op-gina', key, 'OP-1', 2)).__typename).toBe('IdempotencyKeyReused');
    expect((await placeOrder(server, 'op-gina', newKey('op'), 'OP-1', 1)).__typename).toBe('PossibleDuplicate');
    expect((await placeOrder(server, 'op-gina', newKey('op'), 'NOPE', 1)).__typename).toBe('ValidationFailed');
    expect((await placeOrder(server, 'op-gina', 'bad key!', 'OP-1', 1)).__typename).toBe('InvalidIdempotencyKey');

    const rows = await auditOf('op-gina');
    // A malformed key is decided before the request is read: its row has its sender and operation.
    expect(rows.map((row) => row.outcome).sort()).toEqual(
      ['created', 'duplicate', 'reused', 'possible_duplicate_held', 'rejected', 'invalid_key'].sort(),
    );
    expect(rows.map((row) => row.operation)).toEqual(Array(rows.length).fill('createOrder'));
  });

  it('names createOrder on the decisions of the other doors (REST, marketplace webhook)', async () => {
    const { server } = fixture;
    const token = await server.tokenFor('op-rest');
    const body = JSON.stringify({ currency: 'EUR', items: [{ sku: 'OP-1', quantity: 1 }] });
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': newKey('r'),
    };
    expect((await post(server.url, '/api/v1/orders', body, headers)).status).toBe(201);
    expect((await post(server.url, '/api/v1/orders', body, headers)).status).toBe(200);
    const delivery = JSON.stringify({
      orderId: 'OP-MKT-1',
      customerId: 'op-buyer',
      currency: 'EUR',
      items: [{ sku: 'OP-1', quantity: 1 }],
    });
    const signed = signDelivery(SECRET, delivery);
    expect((await post(server.url, '/channels/marketplace/acme/orders', delivery, signed)).status).toBe(200);
    expect((await post(server.url, '/channels/marketplace/acme/orders', delivery, signed)).status).toBe(200);

    for (const customer of ['op-rest', 'op-buyer']) {
      const rows = await auditOf(customer);
      expect(rows.map((row) => [row.outcome, row.operation])).toEqual([
        ['created', 'createOrder'],
        ['duplicate', 'createOrder'],
      ]);
    }
  });

  it('keeps the sales source a door names on every createOrder row, refused and held ones too, and answers it to admins', async () => {
    const { server } = fixture;
    const deliver = (orderId: string, sku: string) => {
      const body = JSON.stringify({ orderId, customerId: 'op-seller', currency: 'EUR', items: [{ sku, quantity: 1 }] });
      return post(server.url, '/channels/marketplace/acme/orders', body, signDelivery(SECRET, body));
    };
    const statuses = [];
    for (const [orderId, sku] of [
      ['OP-SRC-1', 'OP-1'],
      ['OP-SRC-1', 'OP-1'],
      ['OP-SRC-2', 'NOPE'],
      ['OP-SRC-3', 'OP-1'],
    ])
      statuses.push((await deliver(orderId, sku)).status);
    // Created, its redelivery, an unknown SKU refused, the same cart under another order held.
    expect(statuses).toEqual([200, 200, 422, 202]);
    await fixture.server.app.services.auditLog.flush();
    const rows = await fixture.db.query<{ outcome: string; salesSource: string | null }>(
      `SELECT "outcome", "salesSource" FROM "IdempotencyAuditEvent" WHERE "customerId" = 'op-seller' ORDER BY "id"`,
    );
    // Written in the order's or the hold's transaction, or buffered: in no particular id order.
    expect(rows.sort((a, b) => a.outcome.localeCompare(b.outcome))).toEqual(
      ['created', 'duplicate', 'possible_duplicate_held', 'rejected'].map((outcome) => ({
        outcome,
        salesSource: 'acme',
      })),
    );
    // A door without sources: none.
    expect((await placeOrder(server, 'op-web', newKey('op'), 'OP-1', 1)).__typename).toBe('OrderCreated');
    const [web] = await fixture.db.query<{ salesSource: string | null }>(
      `SELECT "salesSource" FROM "IdempotencyAuditEvent" WHERE "customerId" = 'op-web'`,
    );
    expect(web.salesSource).toBeNull();

    const answered = await postGraphQL<{ duplicateAttempts: { outcome: string; salesSource: string | null }[] }>(
      server.url,
      'query { duplicateAttempts(customerId: "op-seller") { outcome salesSource } }',
      {},
      { token: await server.tokenFor('op-admin', 'admin') },
    );
    expect(answered.body.errors).toBeUndefined();
    expect(answered.body.data!.duplicateAttempts).toEqual(
      expect.arrayContaining([{ outcome: 'possible_duplicate_held', salesSource: 'acme' }]),
    );
  });

  it('names the lifecycle operation on the guard’s own answers for it (a repeat from Redis, a malformed key)', async () => {
    const { server } = fixture;
    const placed = await placeOrder(server, 'op-lena', newKey('op'), 'OP-1', 3);
    const token = await server.tokenFor('op-lena');
    const key = newKey('cancel');
    const variables = { orderId: placed.order!.id, key, reason: 'no longer needed' };
    expect((await cancelOrder(server.url, token, variables)).__typename).toBe('OrderCancelled');
    expect(await cancelOrder(server.url, token, variables)).toMatchObject({ detectedBy: 'CACHE' });
    expect((await cancelOrder(server.url, token, { ...variables, key: 'bad key!' })).__typename).toBe(
      'InvalidIdempotencyKey',
    );
    const rows = (await auditOf('op-lena')).filter((row) => row.operation !== 'createOrder');
    expect(rows.map((row) => [row.outcome, row.operation, row.claim])).toEqual([
      ['created', 'cancelOrder', 'claimed'],
      ['duplicate', 'cancelOrder', 'held'],
      ['invalid_key', 'cancelOrder', 'none'],
    ]);
    // The repeat from Redis names the order's channel as its first row does (its answer shows the
    // order); before, it was null, while a held order's release or dismissal repeat named it.
    expect(rows.map((row) => row.channel)).toEqual(['WEB', 'WEB', null]);
  });
});
