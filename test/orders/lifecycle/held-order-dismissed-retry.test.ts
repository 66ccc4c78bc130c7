import { HeldOrdersDocument } from '../../../src/client/generated';
import { postOperation } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { heldRow, holdOne, ordersUnderKey, placeOrder } from './held-order-client';
import { dismissHeldOrder, releaseHeldOrder, seedProduct, stockOf } from './lifecycle-client';

// A customer retries a held createOrder key after an admin dismissed its held order: the retry is
// held again for review (docs/order-lifecycle.md, "Held orders"), so the heldOrderId it is given is
// one an admin can list, release or dismiss; never a second order.
const fixture = withTestServer('held-order-dismissed-retry');

async function heldIds(token: string): Promise<string[]> {
  const listed = await postOperation(fixture.server.url, HeldOrdersDocument, { status: 'HELD' }, { token });
  return listed.body.data!.heldOrders.map((held) => held.id);
}

describe('a retry of a held key after its dismissal', () => {
  it('holds the same held order again (HELD, listed, releasable once), and places nothing by itself', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'DISM-A', 10);
    const admin = await server.tokenFor('dism-admin', 'admin');
    const { heldOrderId, heldKey } = await holdOne(server, 'dina', 'DISM-A');
    const dismissKey = newKey('dismiss');
    const dismissed = await dismissHeldOrder(server.url, admin, { heldOrderId, key: dismissKey, reason: 'dupe' });
    expect(dismissed.__typename).toBe('HeldOrderDismissed');
    expect(await heldIds(admin)).not.toContain(heldOrderId);

    // The customer's retry of the held key: held again, as the same held order.
    const again = await placeOrder(server, 'dina', heldKey, 'DISM-A', 2);
    expect(again).toMatchObject({ __typename: 'PossibleDuplicate', heldOrderId });
    const row = await heldRow(db, heldOrderId);
    expect([row.status, row.resolvedBy, row.orderId]).toEqual(['HELD', null, null]);
    const [{ dismissReason }] = await db.query<{ dismissReason: string | null }>(
      `SELECT "dismissReason" FROM "HeldOrder" WHERE "id" = $1::uuid`,
      [heldOrderId],
    );
    expect(dismissReason).toBeNull();
    expect(await heldIds(admin)).toContain(heldOrderId);
    expect(await ordersUnderKey(db, 'dina', heldKey)).toEqual([]);
    expect(await stockOf(db, 'DISM-A')).toBe(8);

    // An admin can act on it again: the release places it once, and the key then answers that order.
    const released = await releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') });
    expect(released.__typename).toBe('HeldOrderReleased');
    const [placed] = await ordersUnderKey(db, 'dina', heldKey);
    expect(placed).toBeDefined();
    const last = await placeOrder(server, 'dina', heldKey, 'DISM-A', 2);
    expect(last).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: placed.id } });
    expect(await ordersUnderKey(db, 'dina', heldKey)).toHaveLength(1);
    expect(await stockOf(db, 'DISM-A')).toBe(6);
    // The dismissal's own key still answers the dismissal as it was made.
    const repeat = await dismissHeldOrder(server.url, admin, { heldOrderId, key: dismissKey, reason: 'dupe' });
    expect([repeat.__typename, repeat.detectedBy !== null]).toEqual(['HeldOrderDismissed', true]);
  });
});
