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

describe('heldOrders, a page at a time', () => {
  it('walks every held order once, most recently held first, and refuses an after that is no held order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELDPAGE-A', 50);
    const admin = await server.tokenFor('heldpage-admin', 'admin');
    const real = await holdOne(server, 'hilda', 'HELDPAGE-A');
    // 44 more at SQL speed, in groups of four sharing one heldAt: the id breaks the ties, across pages too.
    await db.query(
      `INSERT INTO "HeldOrder" ("id", "customerId", "idempotencyKey", "fingerprint", "channel", "request",
                                "candidateOrderId", "similarity", "reasons", "heldAt")
       SELECT gen_random_uuid(), 'heldpage-' || g, 'heldpage-key-' || g, h."fingerprint", h."channel", h."request",
              h."candidateOrderId", 1, ARRAY['same cart'], h."heldAt" - ((g / 4) || ' seconds')::interval
         FROM generate_series(1, 44) AS g, "HeldOrder" AS h WHERE h."id" = $1::uuid`,
      [real.heldOrderId],
    );
    const stored = await db.query<{ id: string }>(
      `SELECT "id" FROM "HeldOrder" WHERE "status" = 'HELD' ORDER BY "heldAt" DESC, "id"`,
    );
    expect(stored.length).toBeGreaterThanOrEqual(45);

    const page = (variables: Record<string, unknown>) =>
      postOperation(server.url, HeldOrdersDocument, { status: 'HELD', ...variables }, { token: admin });
    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const answer = await page({ first: 10, after });
      const ids = answer.body.data!.heldOrders.map((view: { id: string }) => view.id);
      walked.push(...ids);
      if (ids.length < 10) break;
      after = ids[ids.length - 1];
    }
    expect(walked).toEqual(stored.map((row) => row.id));

    for (const bad of ['00000000-0000-4000-8000-000000000000', 'not-a-held-order']) {
      const refused = await page({ after: bad });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.[0]).toMatchObject({
        message: '`after` must be the id of a held order.',
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    }
  });
});
