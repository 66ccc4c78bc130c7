import { randomUUID } from 'node:crypto';
import { routeOf } from '../../../src/http/request-logging';
import { ordersOfIdentity, post, signDelivery } from '../../support/channels';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { expectDocumentedAnswers } from './documented-answers';
import type { SeenAnswer } from './documented-answers';
import { heldRow, ordersUnderKey } from './held-order-client';
import { seedProduct, stockOf } from './lifecycle-client';

const SECRET = 'held-webhook-secret-for-tests';
const fixture = withTestServer('held-orders-doors', { MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}` });
/** Every answer of the held-order routes this suite saw: the last test checks each against the document. */
const seen: SeenAnswer[] = [];

const json = (token: string | null, key: string | null) => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
  ...(key !== null ? { 'idempotency-key': key } : {}),
});

async function heldCall(heldOrderId: string, action: string, token: string, key: string, body: unknown) {
  const answer = await post(
    fixture.server.url,
    `/api/v1/held-orders/${heldOrderId}/${action}`,
    JSON.stringify(body),
    json(token, key),
  );
  seen.push({ path: `/api/v1/held-orders/{heldOrderId}/${action}`, answer });
  return answer;
}

const restOrder = (token: string, key: string, sku: string) =>
  post(
    fixture.server.url,
    '/api/v1/orders',
    JSON.stringify({ currency: 'EUR', items: [{ sku, quantity: 2 }] }),
    json(token, key),
  );

describe('held orders from the other doors', () => {
  it('REST: a 409 POSSIBLE_DUPLICATE names its held order; an admin releases it (201, replay 200), another key gets 409 HELD_ORDER_ALREADY_RESOLVED', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'DOOR-R', 10);
    const token = await server.tokenFor('rest-rita');
    const first = await restOrder(token, newKey('rest'), 'DOOR-R');
    expect(first.status).toBe(201);
    const heldKey = newKey('rest');
    const held = await restOrder(token, heldKey, 'DOOR-R');
    expect([held.status, held.json['code'], held.json['candidateOrderId']]).toEqual([
      409,
      'POSSIBLE_DUPLICATE',
      first.json['id'],
    ]);
    const heldOrderId = held.json['heldOrderId'] as string;
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'HELD', channel: 'API', idempotencyKey: heldKey });

    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('rest-release');
    const forbidden = await heldCall(heldOrderId, 'release', token, key, {});
    expect([forbidden.status, forbidden.json['code']]).toEqual([403, 'FORBIDDEN']);
    const released = await heldCall(heldOrderId, 'release', admin, key, {});
    expect(released.status).toBe(201);
    expect(released.json).toMatchObject({
      heldOrder: { id: heldOrderId, status: 'RELEASED', resolvedBy: 'ada' },
      order: { customerId: 'rest-rita', channel: 'API', possibleDuplicateOfId: first.json['id'] },
    });
    const replay = await heldCall(heldOrderId, 'release', admin, key, {});
    expect([replay.status, replay.headers['idempotent-replayed']]).toEqual([200, 'true']);
    const other = await heldCall(heldOrderId, 'dismiss', admin, newKey('rest-dismiss'), { reason: 'late' });
    expect([other.status, other.json['code'], other.json['heldOrderStatus'], other.json['orderId']]).toEqual([
      409,
      'HELD_ORDER_ALREADY_RESOLVED',
      'RELEASED',
      (released.json['order'] as { id: string }).id,
    ]);
    const unknown = await heldCall(randomUUID(), 'dismiss', admin, newKey('rest-dismiss'), { reason: 'x' });
    expect([unknown.status, unknown.json['code']]).toEqual([404, 'HELD_ORDER_NOT_FOUND']);
    // The customer's retry of the held key through REST finds the released order.
    expect((await restOrder(token, heldKey, 'DOOR-R')).status).toBe(200);
    expect(await ordersUnderKey(db, 'rest-rita', heldKey)).toHaveLength(1);
    expect(await stockOf(db, 'DOOR-R')).toBe(6);
  });

  it('webhook: a held marketplace order (202 held) is released with its door identity; a redelivery then finds it', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'DOOR-W', 10);
    const deliver = (orderId: string) => {
      const body = JSON.stringify({
        orderId,
        customerId: 'mkt-buyer',
        currency: 'EUR',
        items: [{ sku: 'DOOR-W', quantity: 1 }],
      });
      return post(server.url, '/channels/marketplace/acme/orders', body, signDelivery(SECRET, body));
    };
    expect((await deliver('MKT-W-1')).json['status']).toBe('created');
    const held = await deliver('MKT-W-2');
    expect([held.status, held.json['status']]).toEqual([202, 'held']);
    const heldOrderId = held.json['heldOrderId'] as string;
    expect(await heldRow(db, heldOrderId)).toMatchObject({
      status: 'HELD',
      channel: 'MARKETPLACE',
      source: 'acme',
      externalId: 'MKT-W-2',
    });

    const admin = await server.tokenFor('ada', 'admin');
    const released = await heldCall(heldOrderId, 'release', admin, newKey('webhook-release'), {});
    expect(released.status).toBe(201);
    const [order] = await ordersOfIdentity(db, 'MARKETPLACE', 'acme', 'MKT-W-2');
    expect(order.id).toBe((released.json['order'] as { id: string }).id);
    const redelivered = await deliver('MKT-W-2');
    expect([redelivered.status, redelivered.json['status'], redelivered.json['orderId']]).toEqual([
      200,
      'duplicate',
      order.id,
    ]);
    expect(await stockOf(db, 'DOOR-W')).toBe(8);
  });

  it('names the held-order routes by template in logs and metrics', () => {
    expect(routeOf('/api/v1/held-orders/0b1c/release')).toBe('/api/v1/held-orders/:heldOrderId/release');
    expect(routeOf('/api/v1/held-orders/0b1c/dismiss')).toBe('/api/v1/held-orders/:heldOrderId/dismiss');
  });

  it('gives only answers its OpenAPI document describes: status, content type and body schema', async () => {
    expect(seen.length).toBeGreaterThan(5);
    await expectDocumentedAnswers(fixture.server.url, seen);
  });
});
