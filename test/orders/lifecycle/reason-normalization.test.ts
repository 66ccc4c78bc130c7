import { fingerprintOf } from 'graphql-idempotency';
import { CancelOrderIdempotency } from '../../../src/orders/lifecycle/cancel-order.idempotency';
import { AdjustInventoryIdempotency } from '../../../src/orders/lifecycle/adjust-inventory.idempotency';
import { DismissHeldOrderIdempotency } from '../../../src/orders/held/held-order.idempotency';
import type { ChangeAnswers } from '../../../src/orders/lifecycle/change-answers';
import type { RequestContext } from '../../../src/request/request-context';
import { forgetClaim } from '../../support/claims';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { holdOne } from './held-order-client';
import {
  adjustInventory,
  cancelOrder,
  changesOf,
  dismissHeldOrder,
  placeOrders,
  seedProduct,
  stockOf,
} from './lifecycle-client';

// A reason is compared in Unicode's composed form (NFC): "é" typed as one character (U+00E9, as
// most keyboards give it) or as "e" and a combining acute (U+0301, as text copied from a macOS file
// name can be) is the same reason, so a retry that spells it the other way gets the first answer,
// not IdempotencyKeyReused. Through GraphQL on a real server (PostgreSQL and Redis).
const fixture = withTestServer('reason-normalization');

const COMPOSED = 'Caf\u00e9 ferm\u00e9';
const DECOMPOSED = COMPOSED.normalize('NFD');

it('the two spellings differ as strings (the case under test is real)', () => {
  expect(DECOMPOSED).not.toBe(COMPOSED);
  expect(DECOMPOSED).toHaveLength(COMPOSED.length + 2);
});

describe('a reason spelt decomposed, then composed, under one key', () => {
  it('cancelOrder: the first answer, the order cancelled once, the reason kept composed; another reason is the key reused', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'NFC-CANCEL', 10);
    const [orderId] = await placeOrders(server, 'NFC-CANCEL', 1, 3, () => 'nora');
    const token = await server.tokenFor('nora');
    const key = newKey('cancel');

    const first = await cancelOrder(server.url, token, { orderId, key, reason: DECOMPOSED });
    expect(first).toMatchObject({ __typename: 'OrderCancelled', detectedBy: null, reason: COMPOSED });
    const repeat = await cancelOrder(server.url, token, { orderId, key, reason: COMPOSED });
    expect(repeat).toMatchObject({ __typename: 'OrderCancelled', detectedBy: 'CACHE', reason: COMPOSED });
    expect(repeat['cancelledAt']).toBe(first['cancelledAt']);

    const reused = await cancelOrder(server.url, token, { orderId, key, reason: 'Caf\u00e9 ouvert' });
    expect(reused).toMatchObject({ __typename: 'IdempotencyKeyReused', idempotencyKey: key });
    expect(await stockOf(db, 'NFC-CANCEL')).toBe(10);
    expect(
      await db.query(`SELECT "reason" FROM "AppliedChange" WHERE "operation" = 'cancelOrder' AND "orderId" = $1`, [
        orderId,
      ]),
    ).toEqual([{ reason: COMPOSED }]);
  });

  it('adjustInventory: the first adjustment, applied once; another reason is the key reused', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'NFC-ADJ', 5);
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('adjust');

    const first = await adjustInventory(server.url, admin, { sku: 'NFC-ADJ', delta: 4, key, reason: DECOMPOSED });
    expect(first).toMatchObject({ __typename: 'InventoryAdjusted', detectedBy: null, stockAfter: 9 });
    const repeat = await adjustInventory(server.url, admin, { sku: 'NFC-ADJ', delta: 4, key, reason: COMPOSED });
    expect(repeat).toMatchObject({ __typename: 'InventoryAdjusted', detectedBy: 'CACHE', stockAfter: 9 });
    const reused = await adjustInventory(server.url, admin, { sku: 'NFC-ADJ', delta: 4, key, reason: 'delivery' });
    expect(reused).toMatchObject({ __typename: 'IdempotencyKeyReused', idempotencyKey: key });
    expect(await stockOf(db, 'NFC-ADJ')).toBe(9);
    expect(
      await db.query(
        `SELECT "reason" FROM "AppliedChange" WHERE "operation" = 'adjustInventory' AND "idempotencyKey" = $1`,
        [key],
      ),
    ).toEqual([{ reason: COMPOSED }]);
  });

  it('dismissHeldOrder: the first dismissal, the reason shown composed; another reason is the key reused', async () => {
    const { server } = fixture;
    await seedProduct(fixture.db, 'NFC-HELD', 10);
    const { heldOrderId } = await holdOne(server, 'nils', 'NFC-HELD');
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('dismiss');

    const first = await dismissHeldOrder(server.url, admin, { heldOrderId, key, reason: DECOMPOSED });
    expect(first).toMatchObject({
      __typename: 'HeldOrderDismissed',
      reason: COMPOSED,
      heldOrder: { status: 'DISMISSED', dismissReason: COMPOSED },
    });
    const repeat = await dismissHeldOrder(server.url, admin, { heldOrderId, key, reason: COMPOSED });
    expect(repeat).toMatchObject({ __typename: 'HeldOrderDismissed', detectedBy: 'CACHE', reason: COMPOSED });
    const reused = await dismissHeldOrder(server.url, admin, { heldOrderId, key, reason: 'a double click' });
    expect(reused).toMatchObject({ __typename: 'IdempotencyKeyReused', idempotencyKey: key });
  });
});

describe('a cancellation an earlier version made with a decomposed reason, retried after the upgrade', () => {
  it('is answered IdempotencyKeyReused in either spelling, as the other spelling was before, and nothing happens twice', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'NFC-UPGRADE', 10);
    const [orderId] = await placeOrders(server, 'NFC-UPGRADE', 1, 3, () => 'otto');
    const token = await server.tokenFor('otto');
    const key = newKey('cancel');
    expect(await cancelOrder(server.url, token, { orderId, key, reason: COMPOSED })).toMatchObject({
      __typename: 'OrderCancelled',
    });
    // What the earlier version wrote: the reason as sent (trimmed only), fingerprinted so; its
    // claim in Redis is gone (retention), so the database's row answers.
    const earlierFingerprint = fingerprintOf({
      operation: 'cancelOrder',
      actor: 'otto',
      request: { orderId, reason: DECOMPOSED },
    });
    await db.query(
      `UPDATE "AppliedChange" SET "fingerprint" = $1, "reason" = $2 WHERE "operation" = 'cancelOrder' AND "idempotencyKey" = $3`,
      [earlierFingerprint, DECOMPOSED, key],
    );
    await forgetClaim(server, 'otto', key, 'cancelOrder');

    for (const reason of [DECOMPOSED, COMPOSED])
      expect(await cancelOrder(server.url, token, { orderId, key, reason })).toMatchObject({
        __typename: 'IdempotencyKeyReused',
        idempotencyKey: key,
      });
    expect(await stockOf(db, 'NFC-UPGRADE')).toBe(10);
    expect(await changesOf(db, 'cancelOrder', [orderId])).toHaveLength(1);
  });
});

describe('fingerprints of a composed reason across versions', () => {
  // Computed by the policies before reasons were normalised (e4e34b8): a key whose reason was
  // already composed (every ASCII reason, and é as typed) still repeats after the upgrade.
  const context = { requireViewer: () => ({ customerId: 'admin-1', role: 'admin' }) } as unknown as RequestContext;
  const answers = {} as ChangeAnswers;
  const id = '6f1c1f4e-4c1b-4a7e-9b0a-0d3c2f1e5a77';
  const reason = ` ${COMPOSED} `;
  const fingerprint = (prepared: object) => ('fingerprint' in prepared ? prepared.fingerprint : prepared);

  it.each([
    [
      'cancelOrder',
      () => new CancelOrderIdempotency(answers).prepare({ orderId: id, reason }, context, 'k-1'),
      '7e53defb08400e06478057280dc11a0326ce3959441b09479791e4acad33cdc2',
    ],
    [
      'adjustInventory',
      () => new AdjustInventoryIdempotency(answers).prepare({ sku: 'tea-1', delta: -2, reason }, context, 'k-1'),
      'ec2b7a42f0b8f7eb9ffa9e1f0333cba1e7ab6dc0f25250dac55e543e1af38666',
    ],
    [
      'dismissHeldOrder',
      () => new DismissHeldOrderIdempotency(answers).prepare({ heldOrderId: id, reason }, context, 'k-1'),
      'a56f54acc265b8e35ea81ab8edcb62f5e530102ccdfc0e36c4431819df74e71c',
    ],
  ])('%s fingerprints it as before', (_operation, prepare, expected) => {
    expect(fingerprint(prepare())).toBe(expected);
  });
});
