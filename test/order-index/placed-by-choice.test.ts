import { mergeDuplicates } from '../../src/order-index/duplicate-merge';
import { scanForDuplicates } from '../../src/order-index/duplicate-scan';
import type { DuplicateGroup } from '../../src/order-index/duplicate-scan';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { waitUntil } from '../support/wait';
import { holdOne, placeOrder } from '../orders/lifecycle/held-order-client';
import { releaseHeldOrder, seedProduct, stockOf } from '../orders/lifecycle/lifecycle-client';

// An order someone chose to place although an equivalent one existed (the customer's
// confirmPossibleDuplicate, an admin's release of a held order) is never merged away by the offline
// dedupe; an order that was only flagged still is. WEB holds, MOBILE flags.
const fixture = withTestServer('placed-by-choice', { SEMANTIC_DUPLICATE_POLICY: 'WEB:HOLD,MOBILE:FLAG' });

async function scan(): Promise<DuplicateGroup[]> {
  const groups: DuplicateGroup[] = [];
  await scanForDuplicates(fixture.server.app.prisma, { onGroup: (group) => void groups.push(group) });
  return groups;
}

async function auditedConfirmation(orderId: string): Promise<boolean> {
  const rows = await fixture.db.query(
    `SELECT 1 FROM "IdempotencyAuditEvent" WHERE "orderId" = $1 AND "outcome" = 'possible_duplicate_confirmed'`,
    [orderId],
  );
  return rows.length > 0;
}

describe('dedupe scan and merge spare orders placed by choice', () => {
  it('groups and cancels a flagged order, never one the customer confirmed or an admin released', async () => {
    const { server } = fixture;
    await seedProduct(fixture.db, 'CHOICE-1', 100);

    // WEB: held, then placed anyway by the customer under a new key.
    const { candidateId: confirmedOf } = await holdOne(server, 'cleo', 'CHOICE-1', 2);
    const confirmed = await placeOrder(server, 'cleo', newKey('confirm'), 'CHOICE-1', 2, {
      confirmPossibleDuplicate: true,
    });
    expect(confirmed).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: confirmedOf } });
    const confirmedId = confirmed.order!.id;

    // WEB: held, then released by an admin.
    const { candidateId: releasedOf, heldOrderId } = await holdOne(server, 'dora', 'CHOICE-1', 2);
    const release = await releaseHeldOrder(server.url, await server.tokenFor('ada', 'admin'), {
      heldOrderId,
      key: newKey('release'),
    });
    expect(release).toMatchObject({ __typename: 'HeldOrderReleased', order: { possibleDuplicateOfId: releasedOf } });
    const releasedId = (release.order as { id: string }).id;

    // MOBILE: the second order is only flagged (mergeable); a third, confirmed, stands alone.
    const mobile = { channel: 'MOBILE' };
    const first = await placeOrder(server, 'emil', newKey('m1'), 'CHOICE-1', 2, mobile);
    const flagged = await placeOrder(server, 'emil', newKey('m2'), 'CHOICE-1', 2, mobile);
    const chosen = await placeOrder(server, 'emil', newKey('m3'), 'CHOICE-1', 2, {
      ...mobile,
      confirmPossibleDuplicate: true,
    });
    expect(flagged).toMatchObject({ __typename: 'OrderCreated', order: { possibleDuplicateOfId: first.order!.id } });
    expect(chosen).toMatchObject({ __typename: 'OrderCreated' });

    // The confirmations' audit records are written in batches, a moment after the orders commit.
    await waitUntil('the confirmations audited', async () =>
      (await Promise.all([confirmedId, chosen.order!.id].map(auditedConfirmation))).every(Boolean),
    );

    const groups = await scan();
    expect(groups.map((group) => [group.survivor.orderId, group.duplicates.map((order) => order.orderId)])).toEqual([
      [first.order!.id, [flagged.order!.id]],
    ]);

    // A report that names them anyway (older than the confirmation, or edited) still leaves them.
    const ref = (orderId: string) => ({ orderId, channel: 'WEB', externalId: null });
    const stale: DuplicateGroup[] = [
      ...groups,
      { ...groups[0], survivor: ref(confirmedOf), duplicates: [ref(confirmedId)] },
      { ...groups[0], survivor: ref(releasedOf), duplicates: [ref(releasedId)] },
    ];
    const before = await stockOf(fixture.db, 'CHOICE-1');
    const summary = await mergeDuplicates(server.app.prisma, stale, true);
    expect(summary).toEqual({ groups: 3, cancelled: 1, unitsReturned: 2, skipped: 2, refused: 0, refusals: [] });
    expect(await stockOf(fixture.db, 'CHOICE-1')).toBe(before + 2);
    const statuses = await fixture.db.query<{ id: string; status: string }>(
      `SELECT "id"::text, "status"::text FROM "Order" WHERE "id" = ANY($1::uuid[]) ORDER BY "createdAt"`,
      [[confirmedId, releasedId, flagged.order!.id, chosen.order!.id]],
    );
    expect(Object.fromEntries(statuses.map((row) => [row.id, row.status]))).toEqual({
      [confirmedId]: 'CONFIRMED',
      [releasedId]: 'CONFIRMED',
      [flagged.order!.id]: 'CANCELLED',
      [chosen.order!.id]: 'CONFIRMED',
    });
  });
});
