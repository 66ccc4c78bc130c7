import { randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { ordersOfIdentity, post, signDelivery } from '../support/channels';
import { postGraphQL } from '../support/graphql-client';
import { withTestServer } from '../support/test-server-fixture';

// A customer's key in the form the doors derive (`marketplace:<source>:<orderId>`, `pos:<store>:<receipt>`)
// would hold the key of that customer's own marketplace order or receipt, and refuse it for good.

const SECRET = 'acme-webhook-secret-for-tests';
const CREATE_ORDER = `
  mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
    createOrder(idempotencyKey: $key, input: $input) {
      __typename
      ... on OrderCreated { order { id } }
      ... on DuplicateDetected { originalOrder { id } }
      ... on InvalidIdempotencyKey { message }
    }
  }`;
type Answer = { __typename: string; order?: { id: string }; originalOrder?: { id: string }; message?: string };

const fixture = withTestServer('reserved-keys', { MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}` });

beforeAll(async () => {
  await seedProducts(fixture.db.url, [
    { sku: 'RK-1', priceCents: 450, stock: 1_000 },
    { sku: 'RK-2', priceCents: 300, stock: 1_000 },
  ]);
});

async function createOrder(customerId: string, key: string, sku = 'RK-2', quantity = 3): Promise<Answer> {
  const token = await fixture.server.tokenFor(customerId);
  const input = { currency: 'EUR', items: [{ sku, quantity }] };
  const response = await postGraphQL<{ createOrder: Answer }>(
    fixture.server.url,
    CREATE_ORDER,
    { key, input },
    { token },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

function deliver(orderId: string, customerId: string) {
  const body = JSON.stringify({ orderId, customerId, currency: 'EUR', items: [{ sku: 'RK-1', quantity: 1 }] });
  return post(fixture.server.url, '/channels/marketplace/acme/orders', body, signDelivery(SECRET, body));
}

describe('keys reserved for the doors', () => {
  it("refuses a customer's createOrder key in a marketplace order's form, and the marketplace order goes in", async () => {
    const customer = `rk-${randomUUID()}`;
    const orderId = `MKTC-${randomUUID()}`;
    const answer = await createOrder(customer, `marketplace:acme:${orderId}`);
    expect(answer.__typename).toBe('InvalidIdempotencyKey');
    expect(answer.message).toContain('"marketplace:"');
    const delivery = await deliver(orderId, customer);
    expect([delivery.status, delivery.json['status']]).toEqual([200, 'created']);
    expect(await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'acme', orderId)).toHaveLength(1);
  });

  it('refuses every derived form (hashed, delivery, POS) and the REST API refuses them as BAD_IDEMPOTENCY_KEY', async () => {
    const customer = `rk-${randomUUID()}`;
    for (const key of ['marketplace.sha256:abcdef12', 'marketplace.delivery:bazaar:msg_1', 'pos.sha256:0123abcd']) {
      expect((await createOrder(customer, key)).__typename).toBe('InvalidIdempotencyKey');
    }
    const token = await fixture.server.tokenFor(customer);
    const body = JSON.stringify({ currency: 'EUR', items: [{ sku: 'RK-2', quantity: 1 }] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const rest = await post(fixture.server.url, '/api/v1/orders', body, {
      ...headers,
      'idempotency-key': 'pos:st-1:R-1',
    });
    expect([rest.status, rest.json['code']]).toEqual([400, 'BAD_IDEMPOTENCY_KEY']);
    expect(String(rest.json['detail'])).toContain('"pos:"');
    // Only those forms: a key that merely starts with the same letters, or in another case, is the customer's.
    expect((await createOrder(customer, 'posh-order-0001')).__typename).toBe('OrderCreated');
    expect((await createOrder(customer, 'Marketplace:acme:1', 'RK-1')).__typename).toBe('OrderCreated');
    const [{ count }] = await fixture.db.query<{ count: string }>(
      `SELECT count(*) FROM "Order" WHERE "customerId" = $1`,
      [customer],
    );
    expect(Number(count)).toBe(2);
  });

  it("a customer who used a POS receipt's key does not block that receipt", async () => {
    const customer = `rk-${randomUUID()}`;
    const receipt = `R-${randomUUID()}`;
    expect((await createOrder(customer, `pos:st-c1:${receipt}`)).__typename).toBe('InvalidIdempotencyKey');
    const admin = await fixture.server.tokenFor('rk-ops', 'admin');
    const csv = `store,receipt,sku,quantity,currency,customer\nst-c1,${receipt},RK-1,1,EUR,${customer}\n`;
    const upload = await post(fixture.server.url, '/channels/pos/receipts', csv, {
      authorization: `Bearer ${admin}`,
      'content-type': 'text/csv',
    });
    const report = JSON.parse(upload.text.trim().split('\n').at(-1)!) as { created: number; notPlaced: unknown[] };
    expect([report.created, report.notPlaced]).toEqual([1, []]);
    expect(await ordersOfIdentity(fixture.db, 'POS', 'st-c1', receipt)).toHaveLength(1);
  });

  it('a reserved-form key stored before the forms were reserved keeps answering with its order', async () => {
    const customer = `rk-${randomUUID()}`;
    const created = await createOrder(customer, `rk-${randomUUID()}`);
    expect(created.__typename).toBe('OrderCreated');
    // As a row written before this change: the customer's order under a key of the reserved form.
    const legacyKey = `marketplace:acme:LEGACY-${randomUUID()}`;
    await fixture.db.query(`UPDATE "Order" SET "idempotencyKey" = $1 WHERE "id" = $2`, [legacyKey, created.order!.id]);
    const again = await createOrder(customer, legacyKey);
    expect([again.__typename, again.originalOrder?.id]).toEqual(['DuplicateDetected', created.order!.id]);
  });
});
