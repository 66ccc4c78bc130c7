import { setTimeout as sleep } from 'node:timers/promises';
import { HeldOrdersDocument } from '../../../src/client/generated';
import { postOperation } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { holdOne, placeOrder } from './held-order-client';
import { dismissHeldOrder, releaseHeldOrder, seedProduct } from './lifecycle-client';

// HeldOrder.heldAt is "when it was (last) held". Found from outside: it was the row's updatedAt,
// which a release or dismissal also sets, so after either it said the resolution's time (heldAt =
// resolvedAt), through GraphQL, REST and the SDK; and heldOrders listed a held order held again
// after a dismissal by its first hold, not as the most recently held.
const fixture = withTestServer('held-at');

interface HeldView {
  id: string;
  status: string;
  heldAt: string;
  resolvedAt: string | null;
}

async function listed(token: string): Promise<HeldView[]> {
  const response = await postOperation(fixture.server.url, HeldOrdersDocument, { status: 'HELD' }, { token });
  return response.body.data!.heldOrders;
}

describe('a held order’s heldAt', () => {
  it('is the time of its (last) hold: a dismissal and a release leave it; heldOrders lists the last held first', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELDAT-A', 50);
    const admin = await server.tokenFor('heldat-admin', 'admin');

    const hana = await holdOne(server, 'hana', 'HELDAT-A');
    const [first] = await listed(admin);
    expect(first.id).toBe(hana.heldOrderId);
    const firstHold = first.heldAt;
    await sleep(20);
    const hugo = await holdOne(server, 'hugo', 'HELDAT-A');
    await sleep(20);

    const dismissed = await dismissHeldOrder(server.url, admin, {
      heldOrderId: hana.heldOrderId,
      key: newKey('dismiss'),
      reason: 'dupe',
    });
    const dismissedView = dismissed['heldOrder'] as HeldView;
    expect(dismissedView.status).toBe('DISMISSED');
    expect(dismissedView.heldAt).toBe(firstHold);
    expect(Date.parse(dismissedView.resolvedAt!)).toBeGreaterThan(Date.parse(firstHold));
    await sleep(20);

    // The customer's retry holds it again: its heldAt moves, and it is now the most recently held.
    const again = await placeOrder(server, 'hana', hana.heldKey, 'HELDAT-A', 2);
    expect(again).toMatchObject({ __typename: 'PossibleDuplicate', heldOrderId: hana.heldOrderId });
    const held = await listed(admin);
    expect(held.map((view) => view.id)).toEqual([hana.heldOrderId, hugo.heldOrderId]);
    const secondHold = held[0].heldAt;
    expect(Date.parse(secondHold)).toBeGreaterThan(Date.parse(dismissedView.resolvedAt!));
    await sleep(20);

    const released = await releaseHeldOrder(server.url, admin, {
      heldOrderId: hana.heldOrderId,
      key: newKey('release'),
    });
    const releasedView = released['heldOrder'] as HeldView;
    expect(releasedView.status).toBe('RELEASED');
    expect(releasedView.heldAt).toBe(secondHold);
    expect(Date.parse(releasedView.resolvedAt!)).toBeGreaterThan(Date.parse(secondHold));
  });
});
