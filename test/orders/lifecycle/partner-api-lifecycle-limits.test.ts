import { post } from '../../support/channels';
import type { JsonResponse } from '../../support/channels';
import { holdTransaction } from '../../support/database-faults';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { expectDocumentedAnswers } from './documented-answers';
import type { SeenAnswer } from './documented-answers';
import { holdOne, heldRow } from './held-order-client';
import { changesOf, placeOrders, seedProduct, stockOf } from './lifecycle-client';

// The answers every lifecycle route gets from the router rather than from its mutation: a body over
// the limit (413) and a database that fails the change (503 with Retry-After), here a row another
// session keeps locked past the transaction budget. The OpenAPI document must list both.
const fixture = withTestServer('partner-api-lifecycle-limits', { ORDER_TRANSACTION_BUDGET_MS: '1000' });
const seen: SeenAnswer[] = [];

/** The six routes, each with a body of its own shape, on one order, one product and one held order. */
function routes(orderId: string, sku: string, heldOrderId: string) {
  const address = { line1: 'Rue 1', city: 'Lyon', postalCode: '69001', country: 'FR' };
  return [
    ['/api/v1/orders/{orderId}/cancel', `/api/v1/orders/${orderId}/cancel`, { reason: 'limits' }],
    ['/api/v1/orders/{orderId}/refunds', `/api/v1/orders/${orderId}/refunds`, { amountCents: 100 }],
    ['/api/v1/orders/{orderId}/shipping-address', `/api/v1/orders/${orderId}/shipping-address`, { address }],
    ['/api/v1/inventory/{sku}/adjustments', `/api/v1/inventory/${sku}/adjustments`, { delta: 1, reason: 'limits' }],
    ['/api/v1/held-orders/{heldOrderId}/release', `/api/v1/held-orders/${heldOrderId}/release`, {}],
    ['/api/v1/held-orders/{heldOrderId}/dismiss', `/api/v1/held-orders/${heldOrderId}/dismiss`, { reason: 'limits' }],
  ] as const;
}

async function call(template: string, path: string, token: string, body: string): Promise<JsonResponse> {
  const answer = await post(fixture.server.url, path, body, {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': newKey('limits'),
  });
  seen.push({ path: template, answer });
  return answer;
}

describe('the lifecycle routes’ answers from the router', () => {
  let orderId: string;
  let heldOrderId: string;

  beforeAll(async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'LIM-A', 100);
    await seedProduct(db, 'LIM-H', 100);
    [orderId] = await placeOrders(server, 'LIM-A', 1, 2, () => 'lim-cora');
    ({ heldOrderId } = await holdOne(server, 'lim-hana', 'LIM-H'));
  });

  it('413 PAYLOAD_TOO_LARGE for a body over 1 MiB, on each of the six routes', async () => {
    const admin = await fixture.server.tokenFor('lim-admin', 'admin');
    const huge = JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 1) });
    for (const [template, path] of routes(orderId, 'LIM-A', heldOrderId)) {
      const answer = await call(template, path, admin, huge);
      expect([template, answer.status, answer.json['code']]).toEqual([template, 413, 'PAYLOAD_TOO_LARGE']);
    }
  });

  it('503 SERVICE_UNAVAILABLE with Retry-After when a row stays locked past the budget; nothing changed', async () => {
    const { server, db } = fixture;
    const admin = await server.tokenFor('lim-admin', 'admin');
    const locker = await holdTransaction(
      db.url,
      `SELECT 1 FROM "Order" WHERE "id" = '${orderId}' FOR UPDATE`,
      `SELECT 1 FROM "Product" WHERE "sku" = 'LIM-A' FOR UPDATE`,
      `SELECT 1 FROM "HeldOrder" WHERE "id" = '${heldOrderId}' FOR UPDATE`,
    );
    try {
      for (const [template, path, body] of routes(orderId, 'LIM-A', heldOrderId)) {
        const answer = await call(template, path, admin, JSON.stringify(body));
        expect([template, answer.status, answer.json['code'], answer.headers['retry-after']]).toEqual([
          template,
          503,
          'SERVICE_UNAVAILABLE',
          '1',
        ]);
      }
    } finally {
      await locker.release();
    }
    expect(await stockOf(db, 'LIM-A')).toBe(98);
    expect(await changesOf(db, 'cancelOrder', [orderId])).toHaveLength(0);
    expect((await heldRow(db, heldOrderId)).status).toBe('HELD');
  });

  it('gives only answers its OpenAPI document describes, Retry-After included', async () => {
    expect(seen).toHaveLength(12);
    await expectDocumentedAnswers(fixture.server.url, seen);
  });
});
