import { randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { post, signDelivery } from '../support/channels';
import { withTestServer } from '../support/test-server-fixture';

// Answers of the marketplace webhook and the POS upload at the edges of what a body can carry:
// numbers past the double's safe range.

const SECRET = 'acme-webhook-secret-for-tests';
const fixture = withTestServer('channel-body-edges', {
  MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}`,
  SEMANTIC_DUPLICATE_POLICY: 'OFF',
});

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'EDGE-MKT', priceCents: 200, stock: 1_000 }]);
});

/** A signed delivery of a body as written (JSON.stringify cannot write 1e308 as such). */
const deliver = (body: string, headers: Record<string, string> = {}) =>
  post(fixture.server.url, '/channels/marketplace/acme/orders', body, { ...signDelivery(SECRET, body), ...headers });

const orderWithQuantity = (quantity: string) =>
  `{"orderId":"MKT-${randomUUID()}","customerId":"edge-buyer","currency":"EUR",` +
  `"items":[{"sku":"EDGE-MKT","quantity":${quantity}}]}`;

describe('the marketplace webhook, a line quantity past 10000', () => {
  it('answers 2^31, 2^53 and 1e308 alike: 422 VALIDATION_FAILED, field items, "At most 10000 units…"', async () => {
    for (const quantity of ['10001', String(2 ** 31), String(2 ** 53), '1e308']) {
      const answer = await deliver(orderWithQuantity(quantity));
      expect([quantity, answer.status, answer.json['code'], answer.json['field'], answer.json['detail']]).toEqual([
        quantity,
        422,
        'VALIDATION_FAILED',
        'items',
        'At most 10000 units of EDGE-MKT per order.',
      ]);
    }
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "customerId" = $1', ['edge-buyer'])).toEqual([]);
  });
});
