import { CreateOrderDocument } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { post } from '../support/channels';
import type { JsonResponse } from '../support/channels';
import { postOperation } from '../support/graphql-client';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { expectDocumentedAnswers } from '../orders/lifecycle/documented-answers';
import type { SeenAnswer } from '../orders/lifecycle/documented-answers';

// Answers of the partner REST API at the edges of what its requests can carry: numbers too large
// for a double, a body in a charset it does not read, an Idempotency-Key header sent twice.

const fixture = withTestServer('partner-api-edges', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'EDGE-1', priceCents: 300, stock: 1_000 }]);
});

/** POSTs a body as written (JSON.stringify cannot write 1e400) with a bearer token and a fresh key. */
async function rest(path: string, token: string, body: string, headers: Record<string, string | string[]> = {}) {
  return post(fixture.server.url, path, body, {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': newKey('edge'),
    ...headers,
  });
}

const answerOf = (answer: JsonResponse) => [
  answer.status,
  answer.json['code'],
  answer.json['field'],
  answer.json['detail'],
];

/** A placed order of EDGE-1 for `customerId`, to refund. */
async function placedOrder(customerId: string): Promise<string> {
  const token = await fixture.server.tokenFor(customerId);
  const placed = await rest(
    '/api/v1/orders',
    token,
    JSON.stringify({ currency: 'EUR', items: [{ sku: 'EDGE-1', quantity: 1 }] }),
  );
  expect(placed.status).toBe(201);
  return placed.json['id'] as string;
}

describe('a number past the double range (1e400, read as Infinity)', () => {
  it('is refused in the field’s own rule, as 2^31 is, never as "must be a number"', async () => {
    const admin = await fixture.server.tokenFor('edge-admin', 'admin');
    const orderId = await placedOrder('edge-numbers');
    const refunds = `/api/v1/orders/${orderId}/refunds`;
    const adjustments = '/api/v1/inventory/EDGE-1/adjustments';
    const cases: [string, (n: string) => string, string][] = [
      [refunds, (n) => `{"amountCents": ${n}}`, 'amountCents'],
      [refunds, (n) => `{"lines": [{"sku": "EDGE-1", "quantity": ${n}}]}`, 'lines[0].quantity'],
      [adjustments, (n) => `{"delta": ${n}, "reason": "r"}`, 'delta'],
      [adjustments, (n) => `{"delta": -${n}, "reason": "r"}`, 'delta'],
    ];
    for (const [path, body, field] of cases) {
      const rule = answerOf(await rest(path, admin, body(String(2 ** 31))));
      expect(rule).toEqual([400, 'VALIDATION_FAILED', field, expect.stringContaining('2147483647')]);
      expect([body('1e400'), ...answerOf(await rest(path, admin, body('1e400')))]).toEqual([body('1e400'), ...rule]);
    }
    expect(await fixture.db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
  });
});

describe('POST /api/v1/orders: a quantity too large', () => {
  it('answers 2^31, 2^53, 1e308 and 1e400 alike, with the rule GraphQL gives past 10000: "At most 10000 units…", field items', async () => {
    const customer = 'edge-quantity';
    const token = await fixture.server.tokenFor(customer);
    const order = (quantity: string) => `{"currency": "EUR", "items": [{"sku": "EDGE-1", "quantity": ${quantity}}]}`;
    // GraphQL's createOrder holds up to 2^31 - 1 (an Int) and says this for anything past 10000.
    const viaGraphql = await postOperation(
      fixture.server.url,
      CreateOrderDocument,
      { key: newKey('gql'), input: { currency: 'EUR', items: [{ sku: 'EDGE-1', quantity: 10_001 }] } },
      { token },
    );
    const rule = 'At most 10000 units of EDGE-1 per order.';
    expect(viaGraphql.body.data?.createOrder).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'items',
      message: rule,
    });
    for (const quantity of ['10001', String(2 ** 31), String(2 ** 53), '1e308', '1e400']) {
      const answer = await rest('/api/v1/orders', token, order(quantity));
      expect([quantity, ...answerOf(answer)]).toEqual([quantity, 400, 'VALIDATION_FAILED', 'items', rule]);
    }
    // What is not a whole number of at least 1 is still named at its place, in createOrder's words.
    for (const quantity of ['0', '1.5', '-1e400', '"3"']) {
      const answer = await rest('/api/v1/orders', token, order(quantity));
      expect([quantity, ...answerOf(answer)]).toEqual([
        quantity,
        400,
        'VALIDATION_FAILED',
        'items[0].quantity',
        'The quantity must be a whole number of at least 1.',
      ]);
    }
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "customerId" = $1', [customer])).toEqual([]);
  });
});

describe('a body in a charset or Content-Encoding the API does not read', () => {
  it('answers 415 naming it, as GraphQL does, on POST /api/v1/orders and the lifecycle routes', async () => {
    const token = await fixture.server.tokenFor('edge-charset');
    const orderId = await placedOrder('edge-charset');
    const order = JSON.stringify({ currency: 'EUR', items: [{ sku: 'EDGE-1', quantity: 1 }] });
    const seen: SeenAnswer[] = [];
    for (const [path, body] of [
      ['/api/v1/orders', order],
      [`/api/v1/orders/${orderId}/cancel`, JSON.stringify({ reason: 'r' })],
    ]) {
      const charset = await rest(path, token, body, { 'content-type': 'application/json; charset=latin1' });
      expect([path, charset.status, charset.headers['content-type'], charset.json]).toEqual([
        path,
        415,
        'application/problem+json; charset=utf-8',
        expect.objectContaining({
          code: 'UNSUPPORTED_CHARSET',
          charset: 'latin1',
          detail: 'The body\'s charset "latin1" is not supported: send JSON in UTF-8.',
        }),
      ]);
      const encoding = await rest(path, token, body, { 'content-encoding': 'compress' });
      expect([path, encoding.status, encoding.json]).toEqual([
        path,
        415,
        expect.objectContaining({
          code: 'UNSUPPORTED_CONTENT_ENCODING',
          encoding: 'compress',
          detail:
            'The body\'s Content-Encoding "compress" is not supported: send it uncompressed, or as gzip, deflate or br.',
        }),
      ]);
      const documentedPath = path.replace(orderId, '{orderId}');
      seen.push({ path: documentedPath, answer: charset }, { path: documentedPath, answer: encoding });
    }
    // Each a status, content type and body the OpenAPI document gives for its route.
    await expectDocumentedAnswers(fixture.server.url, seen);
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "customerId" = $1', ['edge-charset'])).toHaveLength(1);
    expect(await fixture.db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
  });
});

describe("a body in UTF-8 under another name of UTF-8 or of ASCII (IANA's aliases)", () => {
  it('places the order for charset=utf8, UTF8, us-ascii and csUTF8; names a refused charset as the request wrote it', async () => {
    const token = await fixture.server.tokenFor('edge-alias');
    const order = JSON.stringify({ currency: 'EUR', items: [{ sku: 'EDGE-1', quantity: 1 }] });
    for (const contentType of [
      'application/json;charset=utf8',
      'application/json; charset=UTF8',
      'application/json;charset=us-ascii',
      'application/json; charset="csUTF8"',
    ]) {
      const answer = await rest('/api/v1/orders', token, order, { 'content-type': contentType });
      expect([contentType, answer.status]).toEqual([contentType, 201]);
    }
    for (const charset of ['Latin1', 'UTF-7x', 'utf-16le-x']) {
      const refused = await rest('/api/v1/orders', token, order, {
        'content-type': `application/json; charset=${charset}`,
      });
      expect([refused.status, refused.json['code'], refused.json['charset'], refused.json['detail']]).toEqual([
        415,
        'UNSUPPORTED_CHARSET',
        charset,
        `The body's charset "${charset}" is not supported: send JSON in UTF-8.`,
      ]);
    }
  });
});

describe('an Idempotency-Key header sent more than once', () => {
  it('is refused as such on every route that takes the key (Node joined the copies: "k, k" read as a bad key)', async () => {
    const token = await fixture.server.tokenFor('edge-repeat');
    const admin = await fixture.server.tokenFor('edge-admin', 'admin');
    const orderId = await placedOrder('edge-repeat');
    const key = newKey('repeat');
    const routes: [string, string, string][] = [
      ['/api/v1/orders', token, JSON.stringify({ currency: 'EUR', items: [{ sku: 'EDGE-1', quantity: 1 }] })],
      [`/api/v1/orders/${orderId}/cancel`, token, JSON.stringify({ reason: 'r' })],
      [`/api/v1/orders/${orderId}/refunds`, admin, JSON.stringify({ amountCents: 1 })],
      [`/api/v1/orders/${orderId}/shipping-address`, token, '{}'],
      ['/api/v1/inventory/EDGE-1/adjustments', admin, JSON.stringify({ delta: 1, reason: 'r' })],
      ['/api/v1/held-orders/00000000-0000-4000-8000-000000000000/release', admin, '{}'],
      ['/api/v1/held-orders/00000000-0000-4000-8000-000000000000/dismiss', admin, JSON.stringify({ reason: 'r' })],
    ];
    const seen: SeenAnswer[] = [];
    for (const [path, bearer, body] of routes) {
      for (const copies of [
        [key, key],
        [key, newKey('other'), key],
      ]) {
        const answer = await rest(path, bearer, body, { 'idempotency-key': copies });
        expect([path, answer.status, answer.json['code'], answer.json['detail']]).toEqual([
          path,
          400,
          'REPEATED_IDEMPOTENCY_KEY',
          `Idempotency-Key was sent ${copies.length} times; send it once.`,
        ]);
        seen.push({
          path: path
            .replace(orderId, '{orderId}')
            .replace(/^(.*held-orders\/)[^/]+/, '$1{heldOrderId}')
            .replace('EDGE-1', '{sku}'),
          answer,
        });
      }
    }
    await expectDocumentedAnswers(fixture.server.url, seen);
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "customerId" = $1', ['edge-repeat'])).toHaveLength(1);
    expect(await fixture.db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
  });
});

describe('a body that is not JSON', () => {
  it('answers 415 UNSUPPORTED_MEDIA_TYPE naming the media type on POST /api/v1/orders and the lifecycle routes', async () => {
    const token = await fixture.server.tokenFor('edge-media');
    const admin = await fixture.server.tokenFor('edge-admin', 'admin');
    const orderId = await placedOrder('edge-media');
    const order = JSON.stringify({ currency: 'EUR', items: [{ sku: 'EDGE-1', quantity: 1 }] });
    const heldOrder = '00000000-0000-4000-8000-000000000000';
    const routes: [string, string, string][] = [
      ['/api/v1/orders', token, order],
      [`/api/v1/orders/${orderId}/cancel`, token, JSON.stringify({ reason: 'r' })],
      [`/api/v1/held-orders/${heldOrder}/release`, admin, '{}'],
    ];
    const seen: SeenAnswer[] = [];
    for (const [path, bearer, body] of routes) {
      for (const [contentType, mediaType] of [
        ['text/plain', 'text/plain'],
        ['Application/XML; charset=utf-8', 'application/xml'],
      ]) {
        const answer = await rest(path, bearer, body, { 'content-type': contentType });
        expect([path, answer.status, answer.headers['content-type'], answer.json]).toEqual([
          path,
          415,
          'application/problem+json; charset=utf-8',
          expect.objectContaining({
            code: 'UNSUPPORTED_MEDIA_TYPE',
            mediaType,
            detail: `The body's media type "${mediaType}" is not supported: send JSON (content-type application/json).`,
          }),
        ]);
        seen.push({ path: path.replace(orderId, '{orderId}').replace(heldOrder, '{heldOrderId}'), answer });
      }
      // A body without a content type: nothing to name.
      const untyped = await post(fixture.server.url, path, body, {
        authorization: `Bearer ${bearer}`,
        'idempotency-key': newKey('edge'),
      });
      expect([path, untyped.status, untyped.json['code'], 'mediaType' in untyped.json, untyped.json['detail']]).toEqual(
        [
          path,
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          false,
          'The body came without a content type: send JSON (content-type application/json).',
        ],
      );
      seen.push({ path: path.replace(orderId, '{orderId}').replace(heldOrder, '{heldOrderId}'), answer: untyped });
    }
    await expectDocumentedAnswers(fixture.server.url, seen);
    expect(await fixture.db.query('SELECT 1 FROM "Order" WHERE "customerId" = $1', ['edge-media'])).toHaveLength(1);
    expect(await fixture.db.query('SELECT 1 FROM "AppliedChange" WHERE "orderId" = $1', [orderId])).toEqual([]);
  });

  it('keeps answering a request with no body at all 400 BAD_REQUEST: there is no media type to refuse', async () => {
    const admin = await fixture.server.tokenFor('edge-admin', 'admin');
    const path = '/api/v1/held-orders/00000000-0000-4000-8000-000000000000/release';
    const answer = await post(fixture.server.url, path, '', {
      authorization: `Bearer ${admin}`,
      'idempotency-key': newKey('edge'),
    });
    expect([answer.status, answer.json['code'], answer.json['detail']]).toEqual([
      400,
      'BAD_REQUEST',
      'The body must be JSON (content-type application/json).',
    ]);
  });
});
