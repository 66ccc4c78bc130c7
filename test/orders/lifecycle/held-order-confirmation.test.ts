import { Client } from 'pg';
import { issueOrderToken, newKey, tally } from '../../support/order-client';
import { forgetClaim } from '../../support/claims';
import { waitForLockWait } from '../../support/locks';
import { withTestServer } from '../../support/test-server-fixture';
import type { TestDatabase } from '../../support/database';
import { heldRow, holdOne, ordersUnderKey, placeOrder } from './held-order-client';
import type { PlacedAnswer } from './held-order-client';
import { cancelOrder, labelOf, releaseHeldOrder, seedProduct, stockOf } from './lifecycle-client';

// The default policy: HOLD on every channel, a 10-minute window. A customer's confirmation
// (confirmPossibleDuplicate under a new key) and an admin's release both answer one hold: together
// they place its intent once.
const fixture = withTestServer('held-order-confirmation');

const ADDRESS = { line1: 'Hauptstraße 12', city: 'Berlin', postalCode: '10115', country: 'DE' };

/** The customer's orders that are not cancelled. */
async function liveOrders(db: TestDatabase, customerId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT "id"::text FROM "Order" WHERE "customerId" = $1 AND "status" <> 'CANCELLED' ORDER BY "createdAt"`,
    [customerId],
  );
  return rows.map((row) => row.id);
}

async function confirmationKeyOf(db: TestDatabase, heldOrderId: string): Promise<string | null> {
  const [row] = await db.query<{ confirmationKey: string | null }>(
    `SELECT "confirmationKey" FROM "HeldOrder" WHERE "id" = $1::uuid`,
    [heldOrderId],
  );
  return row.confirmationKey;
}

describe('a confirmation that comes after an admin released the held order', () => {
  it('is answered with the released order (DuplicateDetected), however retyped, and places nothing; its retries too; another confirmation places anew', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CONF-A', 20);
    const { heldOrderId, heldKey } = await holdOne(server, 'carla', 'CONF-A', 2, { shippingAddress: ADDRESS });
    const admin = await server.tokenFor('ada', 'admin');
    const release = await releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') });
    expect(release.__typename).toBe('HeldOrderReleased');
    const [released] = await ordersUnderKey(db, 'carla', heldKey);
    expect(await stockOf(db, 'CONF-A')).toBe(16);

    // The customer, who saw the hold and not the release, confirms: retyped, from the app.
    const confirmationKey = newKey('confirm');
    const confirm = (): Promise<PlacedAnswer> =>
      placeOrder(server, 'carla', confirmationKey, 'CONF-A', 2, {
        shippingAddress: { ...ADDRESS, line1: 'Hauptstr. 12', city: 'berlin' },
        channel: 'MOBILE',
        confirmPossibleDuplicate: true,
      });
    const answer = await confirm();
    expect(answer).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'DATABASE',
      originalOrder: { id: released.id, idempotencyKey: heldKey },
    });
    expect(await ordersUnderKey(db, 'carla', confirmationKey)).toEqual([]);
    expect(await stockOf(db, 'CONF-A')).toBe(16);
    expect(await confirmationKeyOf(db, heldOrderId)).toBe(confirmationKey);

    // Its retry: the same order, from Redis, then from the database once Redis forgot the key.
    expect(await confirm()).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: released.id } });
    expect(await forgetClaim(server, 'carla', confirmationKey)).toBe(1);
    expect(await confirm()).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'DATABASE',
      originalOrder: { id: released.id },
    });
    expect(await liveOrders(db, 'carla')).toHaveLength(2);
    // The database keeps what the key means: another payload under it is the key reused.
    await forgetClaim(server, 'carla', confirmationKey);
    const otherPayload = await placeOrder(server, 'carla', confirmationKey, 'CONF-A', 3, {
      confirmPossibleDuplicate: true,
    });
    expect(otherPayload.__typename).toBe('IdempotencyKeyReused');
    expect(await liveOrders(db, 'carla')).toHaveLength(2);

    // A second confirmation under another key is the customer's own new decision, as a second
    // confirmation of a held order is: it places.
    const again = await placeOrder(server, 'carla', newKey('confirm'), 'CONF-A', 2, {
      shippingAddress: ADDRESS,
      confirmPossibleDuplicate: true,
    });
    expect(again.__typename).toBe('OrderCreated');
    expect(await liveOrders(db, 'carla')).toHaveLength(3);
    expect(await stockOf(db, 'CONF-A')).toBe(14);
  });

  it('a retry of the held key, once a confirmation placed its intent, is answered with that order, also from the database', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CONF-C', 20);
    const { heldOrderId, heldKey } = await holdOne(server, 'xena', 'CONF-C', 1);
    const confirmed = await placeOrder(server, 'xena', newKey('confirm'), 'CONF-C', 1, {
      confirmPossibleDuplicate: true,
    });
    expect(confirmed.__typename).toBe('OrderCreated');
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'PLACED', orderId: confirmed.order!.id });

    const retry = () => placeOrder(server, 'xena', heldKey, 'CONF-C', 1);
    expect(await retry()).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: confirmed.order!.id },
    });
    await forgetClaim(server, 'xena', heldKey);
    expect(await retry()).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'DATABASE',
      originalOrder: { id: confirmed.order!.id },
    });
    expect(await liveOrders(db, 'xena')).toHaveLength(2);
    expect(await stockOf(db, 'CONF-C')).toBe(18);
  });

  it('a release places the held request with its order token: the token then stands for that order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CONF-T', 20);
    const { token: orderToken } = await issueOrderToken(server, await server.tokenFor('tess'));
    expect((await placeOrder(server, 'tess', newKey('first'), 'CONF-T', 1)).__typename).toBe('OrderCreated');
    const held = await placeOrder(server, 'tess', newKey('held'), 'CONF-T', 1, { orderToken });
    expect(held.__typename).toBe('PossibleDuplicate');
    const release = await releaseHeldOrder(server.url, await server.tokenFor('ada', 'admin'), {
      heldOrderId: held.heldOrderId!,
      key: newKey('release'),
    });
    expect(release.__typename).toBe('HeldOrderReleased');
    const tokenId = orderToken.split('.')[1];
    const withToken = await db.query<{ id: string }>(`SELECT "id"::text FROM "Order" WHERE "orderTokenId" = $1`, [
      tokenId,
    ]);
    expect(withToken).toHaveLength(1);
    // The customer's checkout sends the token again under a new key: the released order, not a third.
    const again = await placeOrder(server, 'tess', newKey('again'), 'CONF-T', 1, { orderToken });
    expect(again).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'TOKEN',
      originalOrder: { id: withToken[0].id },
    });
    expect(await liveOrders(db, 'tess')).toHaveLength(2);
  });

  it('a release whose token another order takes while it runs places without the token, answered HeldOrderReleased', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CONF-R', 20);
    const { token: orderToken } = await issueOrderToken(server, await server.tokenFor('rita'));
    const tokenId = orderToken.split('.')[1];
    expect((await placeOrder(server, 'rita', newKey('first'), 'CONF-R', 1)).__typename).toBe('OrderCreated');
    const heldKey = newKey('held');
    const held = await placeOrder(server, 'rita', heldKey, 'CONF-R', 1, { orderToken });
    expect(held.__typename).toBe('PossibleDuplicate');

    // Another order takes the token and has not committed when the release checks it: the
    // release's insert then waits on the token's index, and finds it taken once this commits.
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "orderTokenId", "currency", "totalCents", "updatedAt")
         VALUES (gen_random_uuid(), 'rita', 'elsewhere', repeat('0', 64), $1, 'EUR', 0, now())`,
        [tokenId],
      );
      const release = releaseHeldOrder(server.url, await server.tokenFor('ada', 'admin'), {
        heldOrderId: held.heldOrderId!,
        key: newKey('release'),
      });
      await waitForLockWait(db);
      await other.query('COMMIT');
      expect((await release).__typename).toBe('HeldOrderReleased');
    } finally {
      await other.end();
    }
    const released = await db.query<{ orderTokenId: string | null }>(
      `SELECT "orderTokenId" FROM "Order" WHERE "customerId" = 'rita' AND "idempotencyKey" = $1`,
      [heldKey],
    );
    expect(released).toEqual([{ orderTokenId: null }]);
    expect(await stockOf(db, 'CONF-R')).toBe(18);
  });

  it('places the order when the released order was cancelled since, or when it confirms another delivery', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CONF-B', 20);
    const admin = await server.tokenFor('ada', 'admin');
    const { heldOrderId, heldKey } = await holdOne(server, 'bruno', 'CONF-B', 1, { shippingAddress: ADDRESS });
    await releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') });

    const elsewhere = await placeOrder(server, 'bruno', newKey('confirm'), 'CONF-B', 1, {
      shippingAddress: { ...ADDRESS, line1: 'Gartenweg 3' },
      confirmPossibleDuplicate: true,
    });
    expect(elsewhere.__typename).toBe('OrderCreated');
    expect(await confirmationKeyOf(db, heldOrderId)).toBeNull();

    const [released] = await ordersUnderKey(db, 'bruno', heldKey);
    const cancelled = await cancelOrder(server.url, await server.tokenFor('bruno'), {
      orderId: released.id,
      key: newKey('cancel'),
      reason: 'not wanted',
    });
    expect(cancelled.__typename).toBe('OrderCancelled');
    const confirmed = await placeOrder(server, 'bruno', newKey('confirm'), 'CONF-B', 1, {
      shippingAddress: ADDRESS,
      confirmPossibleDuplicate: true,
    });
    expect(confirmed.__typename).toBe('OrderCreated');
    expect(await confirmationKeyOf(db, heldOrderId)).toBeNull();
  });

  it('racing the release (8 held orders, release and confirmation sent at once), places each intent exactly once', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CONF-RACE', 100);
    const admin = await server.tokenFor('ada', 'admin');
    const held = [];
    for (let index = 0; index < 8; index++) held.push(await holdOne(server, `conf-race-${index}`, 'CONF-RACE', 1));
    expect(await stockOf(db, 'CONF-RACE')).toBe(92);
    const answers = await Promise.all(
      held.map(({ heldOrderId }, index) => {
        const release = () => releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') });
        const confirmation = () =>
          placeOrder(server, `conf-race-${index}`, newKey('confirm'), 'CONF-RACE', 1, {
            confirmPossibleDuplicate: true,
          });
        // In half the pairs the release leaves first, in the other half the confirmation, 15 ms
        // ahead, so that both orders happen; the assertions hold for either, and for a tie.
        const after = (ms: number) => new Promise((go) => setTimeout(go, ms));
        const releaseFirst = index % 2 === 0;
        return Promise.all([
          after(releaseFirst ? 0 : 15).then(release),
          after(releaseFirst ? 15 : 0).then(confirmation),
        ]);
      }),
    );
    console.log(
      `release vs confirmation: ${JSON.stringify(tally(answers, ([r, c]) => `${labelOf(r)}+${c.__typename}`))}`,
    );

    for (const [index, [release, confirmation]] of answers.entries()) {
      // The first order and one for the held intent, whichever came first.
      expect(await liveOrders(db, `conf-race-${index}`)).toHaveLength(2);
      if (release.__typename === 'HeldOrderReleased') {
        expect(confirmation).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'DATABASE' });
      } else {
        expect(release.__typename).toBe('HeldOrderAlreadyResolved');
        expect(confirmation.__typename).toBe('OrderCreated');
        expect(await heldRow(db, held[index].heldOrderId)).toMatchObject({ status: 'PLACED' });
      }
    }
    expect(await stockOf(db, 'CONF-RACE')).toBe(84);
  });
});
