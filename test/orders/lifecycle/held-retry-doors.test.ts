import { randomUUID } from 'node:crypto';
import { ordersOfIdentity } from '../../support/channels';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { marketplaceSecrets, sendRest, sendSigned, sendStandard, uploadReceipt } from './held-door-calls';
import { heldRow, ordersUnderKey } from './held-order-client';
import { WINDOW_MS, cancelWitness, dismissAsAdmin, expectWindowPassed, untilPastWindow } from './held-retry-window';
import { releaseHeldOrder, seedProduct, stockOf } from './lifecycle-client';

// The doors other than GraphQL keep their held requests at any age too (docs/order-lifecycle.md,
// "Held orders"; createOrder's own: held-retry-after-window.test.ts). They share its placement,
// so each is checked through its own route after the window has passed.
const SECRETS = marketplaceSecrets();
const fixture = withTestServer('held-retry-doors', { SEMANTIC_DUPLICATE_WINDOW_MS: String(WINDOW_MS), ...SECRETS.env });
const dismiss = (heldOrderId: string) => dismissAsAdmin(fixture.server, heldOrderId);

describe('the other doors, after the window', () => {
  it('REST: a dismissed key sent again answers 409 POSSIBLE_DUPLICATE with the same held order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'LATE-REST', 10);
    const restOrder = (key: string) => sendRest(server, 'rest-remy', key, 'LATE-REST', 2);
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
    const order = { sku: 'LATE-W', customerId: 'mkt-wanda' };
    const signed = (orderId: string) => sendSigned(server, SECRETS.hmac, orderId, order);
    const standard = (orderId: string, messageId: string) =>
      sendStandard(server, SECRETS.standard, orderId, messageId, order);
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
    const upload = (receipt: string) =>
      uploadReceipt(server, { store: 'store-9', number: receipt, sku: 'LATE-P', customerId: 'pos-paula' });
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

describe('another message about a held marketplace order, with other content', () => {
  // Found from outside: a new Standard Webhooks message (new webhook-id) about a held marketplace
  // order with another quantity was placed as an order of its own under the held order's identity
  // (and the held order then settled by it), where for a placed order it is 422 IDEMPOTENCY_KEY_REUSED.
  it('is refused as the key reused, as for a placed order: nothing placed, the held order as it was', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-OTHER', 20);
    const standard = (orderId: string, quantity: number, customerId = 'mkt-otis') =>
      sendStandard(server, SECRETS.standard, orderId, `msg_${randomUUID()}`, {
        sku: 'HELD-OTHER',
        customerId,
        quantity,
      });
    const placed = await standard('MKT-OTHER-1', 1);
    expect(placed.json['status']).toBe('created');
    // The placed identity: another message with other content is the key reused.
    const otherOnPlaced = await standard('MKT-OTHER-1', 2);
    expect([otherOnPlaced.status, otherOnPlaced.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);

    const held = await standard('MKT-OTHER-2', 1);
    expect([held.status, held.json['status']]).toEqual([202, 'held']);
    const heldOrderId = held.json['heldOrderId'] as string;
    const before = await heldRow(db, heldOrderId);
    const otherQuantity = await standard('MKT-OTHER-2', 2);
    const otherCustomer = await standard('MKT-OTHER-2', 1, 'mkt-other-customer');
    for (const other of [otherQuantity, otherCustomer])
      expect([other.status, other.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await ordersOfIdentity(db, 'MARKETPLACE', 'bazaar', 'MKT-OTHER-2')).toEqual([]);
    expect(await heldRow(db, heldOrderId)).toEqual(before);
    expect(await stockOf(db, 'HELD-OTHER')).toBe(19);

    // Dismissed, the identity still stands for its held request.
    await dismiss(heldOrderId);
    const afterDismissal = await standard('MKT-OTHER-2', 3);
    expect([afterDismissal.status, afterDismissal.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await ordersOfIdentity(db, 'MARKETPLACE', 'bazaar', 'MKT-OTHER-2')).toEqual([]);
    // Its own content is held again, and the admin's release places it, once, with that content.
    const again = await standard('MKT-OTHER-2', 1);
    expect([again.status, again.json['heldOrderId']]).toEqual([202, heldOrderId]);
    const admin = await server.tokenFor('retry-admin', 'admin');
    expect((await releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') })).__typename).toBe(
      'HeldOrderReleased',
    );
    expect(await ordersOfIdentity(db, 'MARKETPLACE', 'bazaar', 'MKT-OTHER-2')).toHaveLength(1);
    expect(await stockOf(db, 'HELD-OTHER')).toBe(18);
  });
});
