import { createHmac, randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { post, signDelivery } from '../support/channels';
import { withTestServer } from '../support/test-server-fixture';

// Answers of the marketplace webhook and the POS upload at the edges of what a body can carry:
// numbers past the double's safe range, a Content-Encoding or a charset they do not read.

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

const UNSUPPORTED_ENCODING = {
  status: 415,
  code: 'UNSUPPORTED_CONTENT_ENCODING',
  encoding: 'compress',
  detail: 'The body\'s Content-Encoding "compress" is not supported: send it uncompressed, or as gzip, deflate or br.',
};

describe('a body in a Content-Encoding the channels do not read', () => {
  it('is answered 415 UNSUPPORTED_CONTENT_ENCODING by the marketplace webhook, as by the partner API', async () => {
    const answer = await deliver(orderWithQuantity('1'), { 'content-encoding': 'compress' });
    expect([answer.status, answer.headers['content-type'], answer.json]).toEqual([
      415,
      'application/problem+json; charset=utf-8',
      expect.objectContaining(UNSUPPORTED_ENCODING),
    ]);
  });

  it('is answered 415 UNSUPPORTED_CONTENT_ENCODING by the POS upload, as by the partner API', async () => {
    const admin = await fixture.server.tokenFor('edge-ops', 'admin');
    const file = 'store,receipt,sku,quantity,currency\nstore-edge,R-1,EDGE-MKT,1,EUR\n';
    const answer = await post(fixture.server.url, '/channels/pos/receipts', file, {
      authorization: `Bearer ${admin}`,
      'content-type': 'text/csv',
      'content-encoding': 'compress',
    });
    expect([answer.status, answer.headers['content-type'], answer.json]).toEqual([
      415,
      'application/problem+json; charset=utf-8',
      expect.objectContaining(UNSUPPORTED_ENCODING),
    ]);
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "source" = $1', ['store-edge'])).toEqual([]);
  });
});

describe('the marketplace webhook, a body labelled with a charset other than UTF-8', () => {
  /** Headers signing the bytes as sent (signDelivery signs a string's UTF-8). */
  const signBytes = (bytes: Buffer, contentType: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', SECRET).update(`${timestamp}.`).update(bytes).digest('hex');
    return { 'content-type': contentType, 'x-signature-timestamp': timestamp, 'x-signature': `sha256=${signature}` };
  };
  const deliverBytes = (bytes: Buffer, contentType: string) =>
    post(fixture.server.url, '/channels/marketplace/acme/orders', bytes, signBytes(bytes, contentType));
  const order = (customerId: string) =>
    JSON.stringify({
      orderId: `MKT-${randomUUID()}`,
      customerId,
      currency: 'EUR',
      items: [{ sku: 'EDGE-MKT', quantity: 1 }],
    });

  it('answers latin1 bytes 415 UNSUPPORTED_CHARSET naming the charset, as the partner API does, not 400 "not UTF-8"', async () => {
    const answer = await deliverBytes(Buffer.from(order('Zoë'), 'latin1'), 'application/json; charset=latin1');
    expect([answer.status, answer.headers['content-type'], answer.json]).toEqual([
      415,
      'application/problem+json; charset=utf-8',
      expect.objectContaining({
        status: 415,
        code: 'UNSUPPORTED_CHARSET',
        charset: 'latin1',
        detail: 'The body\'s charset "latin1" is not supported: send JSON in UTF-8.',
      }),
    ]);
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "customerId" = $1', ['Zoë'])).toEqual([]);
  });

  it('reads a body that is UTF-8 whatever its label says (RFC 8259: the charset has no effect), creating the order', async () => {
    const answer = await deliverBytes(Buffer.from(order('edge-ascii'), 'utf8'), 'application/json; charset=latin1');
    expect([answer.status, answer.json['status']]).toEqual([200, 'created']);
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "customerId" = $1', ['edge-ascii'])).toHaveLength(1);
  });
});
