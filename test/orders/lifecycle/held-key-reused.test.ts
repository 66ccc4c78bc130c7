import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { heldRow, holdOne, ordersUnderKey, placeOrder } from './held-order-client';
import { dismissHeldOrder, releaseHeldOrder, seedProduct, stockOf } from './lifecycle-client';

// A held createOrder key sent again with other content is the key reused, as for any key: found
// from outside (stop 39), the retry with another cart was placed as an order of its own, and the
// held request was marked PLACED by that unrelated order, so an admin could no longer release it.
const fixture = withTestServer('held-key-reused');

beforeAll(async () => {
  await seedProduct(fixture.db, 'REUSE-A', 100);
  await seedProduct(fixture.db, 'REUSE-B', 100);
});

describe('a held key sent again with another cart', () => {
  it('answers IdempotencyKeyReused, places nothing, and leaves the held request for an admin to release', async () => {
    const { server, db } = fixture;
    const { heldOrderId, heldKey } = await holdOne(server, 'hana', 'REUSE-A', 2);
    const before = await heldRow(db, heldOrderId);

    const other = await placeOrder(server, 'hana', heldKey, 'REUSE-B', 3);
    expect(other.__typename).toBe('IdempotencyKeyReused');
    expect(await ordersUnderKey(db, 'hana', heldKey)).toEqual([]);
    expect(await stockOf(db, 'REUSE-B')).toBe(100);
    expect(await heldRow(db, heldOrderId)).toEqual(before);

    const admin = await server.tokenFor('reuse-admin', 'admin');
    const released = await releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') });
    expect(released.__typename).toBe('HeldOrderReleased');
    expect(await stockOf(db, 'REUSE-A')).toBe(100 - 2 - 2);
    // The key now stands for the released order: its own content gets it, other content is still refused.
    const [placed] = await ordersUnderKey(db, 'hana', heldKey);
    expect(await placeOrder(server, 'hana', heldKey, 'REUSE-A', 2)).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: placed.id },
    });
    expect((await placeOrder(server, 'hana', heldKey, 'REUSE-B', 3)).__typename).toBe('IdempotencyKeyReused');
  });

  it('answers IdempotencyKeyReused after an admin dismissed the hold too, and the dismissal stands', async () => {
    const { server, db } = fixture;
    const { heldOrderId, heldKey } = await holdOne(server, 'hugo', 'REUSE-A', 2);
    const admin = await server.tokenFor('reuse-admin', 'admin');
    const dismissed = await dismissHeldOrder(server.url, admin, { heldOrderId, key: newKey('dismiss'), reason: 'x' });
    expect(dismissed.__typename).toBe('HeldOrderDismissed');

    expect((await placeOrder(server, 'hugo', heldKey, 'REUSE-B', 1)).__typename).toBe('IdempotencyKeyReused');
    expect(await ordersUnderKey(db, 'hugo', heldKey)).toEqual([]);
    expect((await heldRow(db, heldOrderId)).status).toBe('DISMISSED');
  });
});
