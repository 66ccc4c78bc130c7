import { randomBytes, randomUUID } from 'node:crypto';
import { ordersOfIdentity, post, signDelivery, signStandardDelivery } from '../../support/channels';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { heldRow, ordersUnderKey } from './held-order-client';
import { WINDOW_MS, cancelWitness, dismissAsAdmin, expectWindowPassed, untilPastWindow } from './held-retry-window';
import { seedProduct, stockOf } from './lifecycle-client';

// The doors other than GraphQL keep their held requests at any age too (docs/order-lifecycle.md,
// "Held orders"; createOrder's own: held-retry-after-window.test.ts). They share its placement,
// so each is checked through its own route after the window has passed.
const HMAC_SECRET = 'held-retry-webhook-secret';
const STANDARD_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const fixture = withTestServer('held-retry-doors', {
  SEMANTIC_DUPLICATE_WINDOW_MS: String(WINDOW_MS),
  MARKETPLACE_WEBHOOK_SECRETS: `acme=${HMAC_SECRET},bazaar=${STANDARD_SECRET}`,
  MARKETPLACE_WEBHOOK_SCHEMES: 'bazaar=standard-webhooks',
});
const dismiss = (heldOrderId: string) => dismissAsAdmin(fixture.server, heldOrderId);

describe('the other doors, after the window', () => {
  it('REST: a dismissed key sent again answers 409 POSSIBLE_DUPLICATE with the same held order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'LATE-REST', 10);
    const token = await server.tokenFor('rest-remy');
    const restOrder = (key: string) =>
      post(
        server.url,
        '/api/v1/orders',
        JSON.stringify({ currency: 'EUR', items: [{ sku: 'LATE-REST', quantity: 2 }] }),
        {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'idempotency-key': key,
        },
      );
    const first = await restOrder(newKey('rest'));
    expect(first.status).toBe(201);
    const heldKey = newKey('rest');
    const held = await restOrder(heldKey);
    expect([held.status, held.json['code']]).toEqual([409, 'POSSIBLE_DUPLICATE']);
    const heldOrderId = held.json['heldOrderId'] as string;
    await dismiss(heldOrderId);
    await untilPastWindow(db, first.json['id'] as string);
    await expectWindowPassed(server, 'rest-remy', 'LATE-REST', 2);

    const retry = await restOrder(heldKey);
    expect([retry.status, retry.json['code'], retry.json['heldOrderId']]).toEqual([
      409,
      'POSSIBLE_DUPLICATE',
      heldOrderId,
    ]);
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'HELD', orderId: null });
    expect(await ordersUnderKey(db, 'rest-remy', heldKey)).toEqual([]);
    expect(await stockOf(db, 'LATE-REST')).toBe(8);
  });

  it('marketplace webhook: a redelivery, or another message about the order, is held again as the one held order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'LATE-W', 10);
    const body = (orderId: string) =>
      JSON.stringify({ orderId, customerId: 'mkt-wanda', currency: 'EUR', items: [{ sku: 'LATE-W', quantity: 1 }] });
    const signed = (orderId: string) =>
      post(server.url, '/channels/marketplace/acme/orders', body(orderId), signDelivery(HMAC_SECRET, body(orderId)));
    const standard = (orderId: string, messageId: string) =>
      post(
        server.url,
        '/channels/marketplace/bazaar/orders',
        body(orderId),
        signStandardDelivery(STANDARD_SECRET, messageId, body(orderId)),
      );
    const first = await signed('MKT-LATE-1');
    expect(first.json['status']).toBe('created');
    const held = await signed('MKT-LATE-2');
    const message = `msg_${randomUUID()}`;
    const heldStandard = await standard('MKT-LATE-3', message);
    expect([held.status, held.json['status'], heldStandard.status, heldStandard.json['status']]).toEqual([
      202,
      'held',
      202,
      'held',
    ]);
    const heldOrderId = held.json['heldOrderId'] as string;
    const standardHeldId = heldStandard.json['heldOrderId'] as string;
    // Within the window too, another message about it is that held order, not a second one.
    const soon = await standard('MKT-LATE-3', `msg_${randomUUID()}`);
    expect([soon.status, soon.json['heldOrderId']]).toEqual([202, standardHeldId]);
    await dismiss(heldOrderId);
    await untilPastWindow(db, first.json['orderId'] as string);
    const witness = await signed('MKT-LATE-4');
    expect(witness.json).toMatchObject({ status: 'created', possibleDuplicateOfId: null });
    await cancelWitness(fixture.server, witness.json['orderId'] as string);

    // The HMAC door's key is the order's identity: the redelivery is the held key.
    const redelivered = await signed('MKT-LATE-2');
    expect([redelivered.status, redelivered.json['status'], redelivered.json['heldOrderId']]).toEqual([
      202,
      'held',
      heldOrderId,
    ]);
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'HELD', orderId: null });
    // Standard Webhooks keys a message by its webhook-id: another message about the held order is
    // still that held order, as another message about a placed order is that order.
    const again = await standard('MKT-LATE-3', `msg_${randomUUID()}`);
    expect([again.status, again.json['status'], again.json['heldOrderId']]).toEqual([202, 'held', standardHeldId]);
    const [{ count }] = await db.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM "HeldOrder" WHERE "source" = 'bazaar' AND "externalId" = 'MKT-LATE-3'`,
    );
    expect(count).toBe(1);
    expect(await ordersOfIdentity(db, 'MARKETPLACE', 'acme', 'MKT-LATE-2')).toEqual([]);
    expect(await ordersOfIdentity(db, 'MARKETPLACE', 'bazaar', 'MKT-LATE-3')).toEqual([]);
    expect(await stockOf(db, 'LATE-W')).toBe(9);
  });

  it('POS: a held receipt uploaded again is held again as the same held order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'LATE-P', 10);
    const admin = await server.tokenFor('pos-ops', 'admin');
    const upload = async (receipt: string) => {
      const csv = `store,receipt,sku,quantity,currency,customer\nstore-9,${receipt},LATE-P,1,EUR,pos-paula\n`;
      const response = await post(server.url, '/channels/pos/receipts', csv, {
        authorization: `Bearer ${admin}`,
        'content-type': 'text/csv',
      });
      expect(response.status).toBe(200);
      return JSON.parse(response.text.trim().split('\n').at(-1)!) as {
        created: number;
        held: number;
        notPlaced: { heldOrderId?: string }[];
      };
    };
    expect(await upload('R-1')).toMatchObject({ created: 1 });
    const held = await upload('R-2');
    expect(held.held).toBe(1);
    const heldOrderId = held.notPlaced[0].heldOrderId!;
    await dismiss(heldOrderId);
    const [first] = await ordersOfIdentity(db, 'POS', 'store-9', 'R-1');
    await untilPastWindow(db, first.id);
    expect(await upload('R-3')).toMatchObject({ created: 1, held: 0 });
    await cancelWitness(fixture.server, (await ordersOfIdentity(db, 'POS', 'store-9', 'R-3'))[0].id);

    const again = await upload('R-2');
    expect([again.held, again.notPlaced[0]?.heldOrderId]).toEqual([1, heldOrderId]);
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'HELD', orderId: null });
    expect(await ordersOfIdentity(db, 'POS', 'store-9', 'R-2')).toEqual([]);
    expect(await stockOf(db, 'LATE-P')).toBe(9);
  });
});
