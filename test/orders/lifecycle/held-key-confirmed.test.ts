import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { heldRow, holdOne, ordersUnderKey, placeOrder } from './held-order-client';
import { dismissAsAdmin } from './held-retry-window';
import { releaseHeldOrder, seedProduct, stockOf } from './lifecycle-client';

// The customer answers a hold by resending the held request under its own key with
// confirmPossibleDuplicate: true. The flag is no part of the request's fingerprint (it says what to
// do with a match, not what to order), so this is the held request confirmed, not the key reused.
const fixture = withTestServer('held-key-confirmed');

describe('a held key resent with confirmPossibleDuplicate: true', () => {
  it('places the held request once, under its key; the held order is PLACED with it; every later retry answers it', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HKC-A', 20);
    const { heldOrderId, heldKey, candidateId } = await holdOne(server, 'hedda', 'HKC-A', 2);
    const confirmed = await placeOrder(server, 'hedda', heldKey, 'HKC-A', 2, { confirmPossibleDuplicate: true });
    expect(confirmed).toMatchObject({
      __typename: 'OrderCreated',
      order: { idempotencyKey: heldKey, possibleDuplicateOfId: candidateId },
    });
    const placed = confirmed.order!.id;
    for (const extra of [{}, { confirmPossibleDuplicate: true }])
      expect(await placeOrder(server, 'hedda', heldKey, 'HKC-A', 2, extra)).toMatchObject({
        __typename: 'DuplicateDetected',
        originalOrder: { id: placed },
      });
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'PLACED', orderId: placed, resolvedBy: 'hedda' });
    expect(await ordersUnderKey(db, 'hedda', heldKey)).toEqual([{ id: placed }]);
    expect(await stockOf(db, 'HKC-A')).toBe(20 - 2 - 2);
  });

  it('places a dismissed one too: the customer overrules the dismissal, once', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HKC-B', 20);
    const { heldOrderId, heldKey } = await holdOne(server, 'hilde', 'HKC-B', 1);
    await dismissAsAdmin(server, heldOrderId);
    const confirmed = await placeOrder(server, 'hilde', heldKey, 'HKC-B', 1, { confirmPossibleDuplicate: true });
    expect(confirmed.__typename).toBe('OrderCreated');
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'PLACED', orderId: confirmed.order!.id });
    expect(await stockOf(db, 'HKC-B')).toBe(20 - 1 - 1);
  });

  it('racing an admin’s release of the same held order: one order, whoever wins', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HKC-C', 100);
    const admin = await server.tokenFor('hkc-admin', 'admin');
    for (let round = 0; round < 5; round += 1) {
      const customer = `hkc-race-${round}`;
      const { heldOrderId, heldKey } = await holdOne(server, customer, 'HKC-C', 1);
      const [confirmed, released] = await Promise.all([
        placeOrder(server, customer, heldKey, 'HKC-C', 1, { confirmPossibleDuplicate: true }),
        releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') }),
      ]);
      const [order] = await ordersUnderKey(db, customer, heldKey);
      expect(await ordersUnderKey(db, customer, heldKey)).toHaveLength(1);
      // The customer's answer names that order, created or found; the admin's places it or finds it placed.
      const customersOrder = confirmed.order?.id ?? confirmed.originalOrder?.id;
      expect([round, customersOrder]).toEqual([round, order.id]);
      expect(['HeldOrderReleased', 'HeldOrderAlreadyResolved']).toContain(released.__typename);
      expect((await heldRow(db, heldOrderId)).orderId).toBe(order.id);
    }
    expect(await stockOf(db, 'HKC-C')).toBe(100 - 2 * 5);
  });
});
