import { routeOf } from '../../../src/http/request-logging';
import { post } from '../../support/channels';
import type { JsonResponse } from '../../support/channels';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { expectDocumentedAnswers } from './documented-answers';
import type { SeenAnswer } from './documented-answers';
import { changesOf, placeOrders, seedProduct, stockOf } from './lifecycle-client';

const fixture = withTestServer('partner-api-lifecycle', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });
/** Every answer this suite saw, with the path it came from: the last test checks each against the document. */
const seen: SeenAnswer[] = [];

async function call(path: string, token: string | null, key: string | null, body: unknown): Promise<JsonResponse> {
  const answer = await post(fixture.server.url, path, JSON.stringify(body), {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(key !== null ? { 'idempotency-key': key } : {}),
  });
  seen.push({
    path: path.replace(/orders\/[^/]+/, 'orders/{orderId}').replace(/inventory\/[^/]+/, 'inventory/{sku}'),
    answer,
  });
  return answer;
}

describe('the partner REST API’s lifecycle routes', () => {
  it('POST /api/v1/orders/{id}/cancel: one cancellation under a storm of one key, replays marked, a new key 409 ORDER_ALREADY_CANCELLED', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'REST-C', 10);
    const [orderId] = await placeOrders(server, 'REST-C', 1, 4, () => 'rest-cora');
    const token = await server.tokenFor('rest-cora');
    const key = newKey('rest-cancel');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => call(`/api/v1/orders/${orderId}/cancel`, token, key, { reason: 'rest' })),
    );
    expect(answers.filter((answer) => answer.status === 200 && !answer.headers['idempotent-replayed'])).toHaveLength(1);
    for (const answer of answers) {
      expect([200, 409]).toContain(answer.status);
      if (answer.status === 200) expect(answer.json).toMatchObject({ order: { id: orderId, status: 'CANCELLED' } });
      if (answer.status === 409) expect(answer.json['code']).toBe('REQUEST_IN_PROGRESS');
    }
    expect(await stockOf(db, 'REST-C')).toBe(10);
    expect(await changesOf(db, 'cancelOrder', [orderId])).toHaveLength(1);
    const again = await call(`/api/v1/orders/${orderId}/cancel`, token, newKey('rest-cancel'), { reason: 'again' });
    expect([again.status, again.json['code'], again.json['orderId']]).toEqual([
      409,
      'ORDER_ALREADY_CANCELLED',
      orderId,
    ]);
    const missing = await call(`/api/v1/orders/${orderId}/cancel`, token, null, { reason: 'no key' });
    expect([missing.status, missing.json['code']]).toEqual([400, 'MISSING_IDEMPOTENCY_KEY']);
    const stranger = await call(`/api/v1/orders/${orderId}/cancel`, await server.tokenFor('x'), newKey('k'), {
      reason: 'x',
    });
    expect([stranger.status, stranger.json['code'], stranger.json['detail']]).toEqual([
      404,
      'ORDER_NOT_FOUND',
      'No such order of yours.',
    ]);
    // An admin may change anyone's order: for an admin an unknown order is simply unknown.
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const byAdmin = await call(`/api/v1/orders/${unknownId}/cancel`, await server.tokenFor('a', 'admin'), newKey('k'), {
      reason: 'x',
    });
    expect([byAdmin.status, byAdmin.json['code'], byAdmin.json['detail']]).toEqual([
      404,
      'ORDER_NOT_FOUND',
      'No such order.',
    ]);
  });

  it('refunds (admins) with 201, replays with 200, and refuses past what was paid with 409 REFUND_EXCEEDS_PAID', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'REST-R', 10, 500);
    const [orderId] = await placeOrders(server, 'REST-R', 1, 2, () => 'rest-rita');
    const admin = await server.tokenFor('rest-admin', 'admin');
    const key = newKey('rest-refund');
    const first = await call(`/api/v1/orders/${orderId}/refunds`, admin, key, { amountCents: 700 });
    expect([first.status, first.json['refundedCents']]).toEqual([201, 700]);
    const repeat = await call(`/api/v1/orders/${orderId}/refunds`, admin, key, { amountCents: 700 });
    expect([repeat.status, repeat.headers['idempotent-replayed'], repeat.json['refund']]).toEqual([
      200,
      'true',
      first.json['refund'],
    ]);
    const tooMuch = await call(`/api/v1/orders/${orderId}/refunds`, admin, newKey('rest-refund'), { amountCents: 301 });
    expect([tooMuch.status, tooMuch.json['code'], tooMuch.json['refundedCents']]).toEqual([
      409,
      'REFUND_EXCEEDS_PAID',
      700,
    ]);
    const reused = await call(`/api/v1/orders/${orderId}/refunds`, admin, key, { amountCents: 1 });
    expect([reused.status, reused.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const customer = await call(`/api/v1/orders/${orderId}/refunds`, await server.tokenFor('rest-rita'), newKey('k'), {
      amountCents: 1,
    });
    expect([customer.status, customer.json['code']]).toEqual([403, 'FORBIDDEN']);
    const bad = await call(`/api/v1/orders/${orderId}/refunds`, admin, newKey('k'), { amountCents: 1, extra: true });
    expect([bad.status, bad.json['code']]).toEqual([400, 'VALIDATION_FAILED']);
    const notAnId = await call('/api/v1/orders/not-a-uuid/refunds', admin, newKey('k'), { amountCents: 1 });
    expect([notAnId.status, notAnId.json['code'], notAnId.json['field']]).toEqual([
      400,
      'VALIDATION_FAILED',
      'orderId',
    ]);

    // By lines: a refusal names the line as sent; the answer's refund is the document's (its lines are GraphQL's).
    const [byLinesOrder] = await placeOrders(server, 'REST-R', 1, 2, () => 'rest-rita');
    const path = `/api/v1/orders/${byLinesOrder}/refunds`;
    const lacking = await call(path, admin, newKey('rest-refund'), {
      lines: [
        { sku: 'rest-r', quantity: 1 },
        { sku: 'NOPE', quantity: 1 },
      ],
    });
    expect([lacking.status, lacking.json['code'], lacking.json['field']]).toEqual([
      400,
      'VALIDATION_FAILED',
      'lines[1].sku',
    ]);
    const byLines = await call(path, admin, newKey('rest-refund'), { lines: [{ sku: 'rest-r', quantity: 1 }] });
    expect([byLines.status, byLines.json['refundedCents'], Object.keys(byLines.json['refund'] as object)]).toEqual([
      201,
      500,
      ['id', 'orderId', 'amountCents', 'createdAt'],
    ]);
  });

  it('changes an address (200) and adjusts stock (201; 409 STOCK_WOULD_GO_NEGATIVE; 404 PRODUCT_NOT_FOUND)', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'REST-A', 3);
    const [orderId] = await placeOrders(server, 'REST-A', 1, 1, () => 'rest-sam');
    const moved = await call(
      `/api/v1/orders/${orderId}/shipping-address`,
      await server.tokenFor('rest-sam'),
      newKey('a'),
      {
        address: { line1: '5 Quai', city: 'Nantes', postalCode: '44000', country: 'fr' },
      },
    );
    expect([moved.status, moved.json['order']]).toEqual([
      200,
      expect.objectContaining({
        shippingAddress: { line1: '5 Quai', city: 'Nantes', postalCode: '44000', country: 'FR' },
      }),
    ]);
    const admin = await server.tokenFor('rest-admin', 'admin');
    const added = await call('/api/v1/inventory/REST-A/adjustments', admin, newKey('adj'), {
      delta: 5,
      reason: 'count',
    });
    expect([added.status, added.json]).toEqual([201, { sku: 'REST-A', delta: 5, stockAfter: 7 }]);
    const negative = await call('/api/v1/inventory/REST-A/adjustments', admin, newKey('adj'), {
      delta: -8,
      reason: 'x',
    });
    expect([negative.status, negative.json['code'], negative.json['stock']]).toEqual([
      409,
      'STOCK_WOULD_GO_NEGATIVE',
      7,
    ]);
    const unknown = await call('/api/v1/inventory/NOPE/adjustments', admin, newKey('adj'), { delta: 1, reason: 'x' });
    expect([unknown.status, unknown.json['code']]).toEqual([404, 'PRODUCT_NOT_FOUND']);
    // Past what PostgreSQL's integer holds: a typed 400, not a 500.
    const huge = await call('/api/v1/inventory/REST-A/adjustments', admin, newKey('adj'), { delta: 1e12, reason: 'x' });
    expect([huge.status, huge.json['code']]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await stockOf(db, 'REST-A')).toBe(7);
  });

  it('names its routes by template in logs and metrics', () => {
    expect(routeOf('/api/v1/orders/0b1c/cancel')).toBe('/api/v1/orders/:orderId/cancel');
    expect(routeOf('/api/v1/orders/0b1c/refunds')).toBe('/api/v1/orders/:orderId/refunds');
    expect(routeOf('/api/v1/orders/0b1c/shipping-address')).toBe('/api/v1/orders/:orderId/shipping-address');
    expect(routeOf('/api/v1/inventory/SKU-1/adjustments')).toBe('/api/v1/inventory/:sku/adjustments');
    expect(routeOf('/api/v1/inventory/SKU-1/adjustments/x')).toBe('other');
  });

  it('gives only answers its OpenAPI document describes: status, content type and body schema', async () => {
    expect(seen.length).toBeGreaterThan(20);
    await expectDocumentedAnswers(fixture.server.url, seen);
  });
});
