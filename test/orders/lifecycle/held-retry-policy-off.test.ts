import { randomUUID } from 'node:crypto';
import { ordersOfIdentity } from '../../support/channels';
import { newKey } from '../../support/order-client';
import { startTestServer } from '../../support/server';
import type { TestServer } from '../../support/server';
import { withTestServer } from '../../support/test-server-fixture';
import { marketplaceSecrets, sendRest, sendSigned, sendStandard, uploadReceipt } from './held-door-calls';
import { heldRow, holdOne, ordersUnderKey, placeOrder } from './held-order-client';
import { dismissAsAdmin } from './held-retry-window';
import { cancelOrder, releaseHeldOrder, seedProduct, stockOf } from './lifecycle-client';

// A held key stands for its held request whatever the policy says now (docs/order-lifecycle.md,
// "Held orders"): found from outside, with SEMANTIC_DUPLICATE_POLICY=OFF set after the hold (a
// server restarted with OFF), the held key resent as it was was placed as a new order, the held
// order left HELD (or DISMISSED) beside it, and an admin's release then answered
// HeldOrderAlreadyResolved with that order. The holds are made by the fixture's server (HOLD); a
// second server on the same database, with its own Redis prefix, has the policy turned OFF.
const SECRETS = marketplaceSecrets();
const fixture = withTestServer('held-retry-off', SECRETS.env);
let off: TestServer;

beforeAll(async () => {
  off = await startTestServer(fixture.db.url, 'held-retry-off-policy', {
    ...SECRETS.env,
    SEMANTIC_DUPLICATE_POLICY: 'OFF',
  });
});

afterAll(async () => {
  await off?.stop();
});

const release = async (heldOrderId: string) =>
  releaseHeldOrder(fixture.server.url, await fixture.server.tokenFor('off-admin', 'admin'), {
    heldOrderId,
    key: newKey('release'),
  });

describe('a held createOrder key resent after the policy was turned OFF', () => {
  it('still held: answers PossibleDuplicate with the same held order, places nothing; the release places it once', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-H', 10);
    const { heldOrderId, heldKey, candidateId } = await holdOne(server, 'olga', 'OFF-H');

    const retry = await placeOrder(off, 'olga', heldKey, 'OFF-H', 2);
    expect(retry).toMatchObject({ __typename: 'PossibleDuplicate', heldOrderId, candidate: { id: candidateId } });
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'HELD', orderId: null });
    expect(await ordersUnderKey(db, 'olga', heldKey)).toEqual([]);
    expect(await stockOf(db, 'OFF-H')).toBe(8);

    // One intent, one order: the admin's release places it, and the key answers that order after.
    const released = await release(heldOrderId);
    expect(released.__typename).toBe('HeldOrderReleased');
    const [placed] = await ordersUnderKey(db, 'olga', heldKey);
    expect(released.order?.id).toBe(placed.id);
    expect(await placeOrder(off, 'olga', heldKey, 'OFF-H', 2)).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: placed.id },
    });
    expect(await stockOf(db, 'OFF-H')).toBe(6);
  });

  it('dismissed: is held again as the same held order (back to HELD), as under FLAG', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-D', 10);
    const { heldOrderId, heldKey, candidateId } = await holdOne(server, 'otto', 'OFF-D');
    await dismissAsAdmin(server, heldOrderId);

    const retry = await placeOrder(off, 'otto', heldKey, 'OFF-D', 2);
    expect(retry).toMatchObject({ __typename: 'PossibleDuplicate', heldOrderId, candidate: { id: candidateId } });
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'HELD', orderId: null, resolvedBy: null });
    expect(await ordersUnderKey(db, 'otto', heldKey)).toEqual([]);
    expect(await stockOf(db, 'OFF-D')).toBe(8);
  });

  it('with other content: is the key reused, as under HOLD', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-R', 10);
    const { heldOrderId, heldKey } = await holdOne(server, 'oona', 'OFF-R');
    const before = await heldRow(db, heldOrderId);
    expect((await placeOrder(off, 'oona', heldKey, 'OFF-R', 3)).__typename).toBe('IdempotencyKeyReused');
    expect(await heldRow(db, heldOrderId)).toEqual(before);
    expect(await ordersUnderKey(db, 'oona', heldKey)).toEqual([]);
  });

  it('confirmed (confirmPossibleDuplicate: true): places it once under its key, the held order PLACED with it', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-C', 10);
    const { heldOrderId, heldKey } = await holdOne(server, 'odile', 'OFF-C');
    const confirmed = await placeOrder(off, 'odile', heldKey, 'OFF-C', 2, { confirmPossibleDuplicate: true });
    expect(confirmed).toMatchObject({ __typename: 'OrderCreated', order: { idempotencyKey: heldKey } });
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'PLACED', orderId: confirmed.order!.id });
    expect((await release(heldOrderId)).__typename).toBe('HeldOrderAlreadyResolved');
    expect(await stockOf(db, 'OFF-C')).toBe(6);
  });

  it('confirmed under a new key: places it once and settles the held order, so a release places no second order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-N', 10);
    const { heldOrderId } = await holdOne(server, 'nora', 'OFF-N');
    const confirmed = await placeOrder(off, 'nora', newKey('confirm'), 'OFF-N', 2, { confirmPossibleDuplicate: true });
    expect(confirmed.__typename).toBe('OrderCreated');
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'PLACED', orderId: confirmed.order!.id });
    expect((await release(heldOrderId)).__typename).toBe('HeldOrderAlreadyResolved');
    expect(await stockOf(db, 'OFF-N')).toBe(6);
  });

  it('its candidate cancelled since: the retry is placed, and the held order says by which order (PLACED)', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-X', 10);
    const { heldOrderId, heldKey, candidateId } = await holdOne(server, 'oskar', 'OFF-X');
    const cancelled = await cancelOrder(server.url, await server.tokenFor('oskar'), {
      orderId: candidateId,
      key: newKey('cancel'),
      reason: 'ordered twice',
    });
    expect(cancelled.__typename).toBe('OrderCancelled');

    const retry = await placeOrder(off, 'oskar', heldKey, 'OFF-X', 2);
    expect(retry.__typename).toBe('OrderCreated');
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'PLACED', orderId: retry.order!.id });
    expect((await release(heldOrderId)).__typename).toBe('HeldOrderAlreadyResolved');
    expect(await stockOf(db, 'OFF-X')).toBe(8);
  });

  it('racing an admin’s release of the same held order: one order, whoever wins', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-RACE', 100);
    for (let round = 0; round < 5; round += 1) {
      const customer = `off-race-${round}`;
      const { heldOrderId, heldKey } = await holdOne(server, customer, 'OFF-RACE', 1);
      const [retry, released] = await Promise.all([
        placeOrder(off, customer, heldKey, 'OFF-RACE', 1),
        release(heldOrderId),
      ]);
      expect([round, released.__typename]).toEqual([round, 'HeldOrderReleased']);
      const orders = await ordersUnderKey(db, customer, heldKey);
      expect(orders).toEqual([{ id: released.order!.id }]);
      // Held again before the release, or answered with the order it placed.
      if (retry.__typename === 'PossibleDuplicate') expect(retry.heldOrderId).toBe(heldOrderId);
      else expect(retry).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: orders[0].id } });
      expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'RELEASED', orderId: orders[0].id });
    }
    expect(await stockOf(db, 'OFF-RACE')).toBe(100 - 2 * 5);
  });
});

describe('the other doors, after the policy was turned OFF', () => {
  it('REST: the held key sent again answers 409 POSSIBLE_DUPLICATE with the same held order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-REST', 10);
    const restOrder = (target: TestServer, key: string) => sendRest(target, 'off-rest', key, 'OFF-REST', 2);
    expect((await restOrder(server, newKey('rest'))).status).toBe(201);
    const heldKey = newKey('rest');
    const held = await restOrder(server, heldKey);
    expect([held.status, held.json['code']]).toEqual([409, 'POSSIBLE_DUPLICATE']);

    const retry = await restOrder(off, heldKey);
    expect([retry.status, retry.json['code'], retry.json['heldOrderId']]).toEqual([
      409,
      'POSSIBLE_DUPLICATE',
      held.json['heldOrderId'],
    ]);
    expect(await ordersUnderKey(db, 'off-rest', heldKey)).toEqual([]);
    expect(await stockOf(db, 'OFF-REST')).toBe(8);
  });

  it('marketplace webhook: a redelivery, or another message about the held order, answers 202 held with it', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-W', 10);
    const order = { sku: 'OFF-W', customerId: 'mkt-olaf' };
    const signed = (target: TestServer, orderId: string) => sendSigned(target, SECRETS.hmac, orderId, order);
    const standard = (target: TestServer, orderId: string, messageId: string) =>
      sendStandard(target, SECRETS.standard, orderId, messageId, order);
    expect((await signed(server, 'MKT-OFF-1')).json['status']).toBe('created');
    const held = await signed(server, 'MKT-OFF-2');
    const heldStandard = await standard(server, 'MKT-OFF-3', `msg_${randomUUID()}`);
    expect([held.json['status'], heldStandard.json['status']]).toEqual(['held', 'held']);

    const redelivered = await signed(off, 'MKT-OFF-2');
    expect([redelivered.status, redelivered.json['status'], redelivered.json['heldOrderId']]).toEqual([
      202,
      'held',
      held.json['heldOrderId'],
    ]);
    const again = await standard(off, 'MKT-OFF-3', `msg_${randomUUID()}`);
    expect([again.status, again.json['status'], again.json['heldOrderId']]).toEqual([
      202,
      'held',
      heldStandard.json['heldOrderId'],
    ]);
    expect(await ordersOfIdentity(db, 'MARKETPLACE', 'acme', 'MKT-OFF-2')).toEqual([]);
    expect(await ordersOfIdentity(db, 'MARKETPLACE', 'bazaar', 'MKT-OFF-3')).toEqual([]);
    expect(await stockOf(db, 'OFF-W')).toBe(9);
  });

  it('POS: a held receipt uploaded again is reported held with the same held order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'OFF-P', 10);
    const upload = (target: TestServer, receipt: string) =>
      uploadReceipt(target, { store: 'store-off', number: receipt, sku: 'OFF-P', customerId: 'pos-oda' });
    expect(await upload(server, 'R-1')).toMatchObject({ created: 1 });
    const held = await upload(server, 'R-2');
    expect(held.held).toBe(1);

    const again = await upload(off, 'R-2');
    expect([again.created, again.held, again.notPlaced[0]?.heldOrderId]).toEqual([0, 1, held.notPlaced[0].heldOrderId]);
    expect(await ordersOfIdentity(db, 'POS', 'store-off', 'R-2')).toEqual([]);
    expect(await stockOf(db, 'OFF-P')).toBe(9);
  });
});
