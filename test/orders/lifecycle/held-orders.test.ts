import { HeldOrdersDocument } from '../../../src/client/generated';
import { postOperation } from '../../support/graphql-client';
import { newKey, tally } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { heldChanges, heldRow, holdOne, ordersUnderKey, placeOrder } from './held-order-client';
import { dismissHeldOrder, labelOf, releaseHeldOrder, seedProduct, stockOf, untilAnswered } from './lifecycle-client';

// The default policy: HOLD on every channel, a 10-minute window.
const fixture = withTestServer('held-orders');

describe('held orders', () => {
  it('a hold is kept as a HeldOrder (request, key, door, candidate), committed with its audit record; no order, no stock', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-A', 10);
    const { candidateId, heldOrderId, heldKey } = await holdOne(server, 'hana', 'HELD-A');

    expect(await heldRow(db, heldOrderId)).toEqual({
      status: 'HELD',
      orderId: null,
      resolvedBy: null,
      idempotencyKey: heldKey,
      channel: 'WEB',
      source: '',
      externalId: null,
      candidateOrderId: candidateId,
      request: { currency: 'EUR', channel: 'WEB', lines: [{ sku: 'HELD-A', quantity: 2 }] },
    });
    expect(await ordersUnderKey(db, 'hana', heldKey)).toEqual([]);
    expect(await stockOf(db, 'HELD-A')).toBe(8);
    // Written in the hold's transaction: there before any buffered write is flushed.
    const audit = await db.query<{ outcome: string; operation: string; relatedOrderId: string }>(
      `SELECT "outcome", "operation", "relatedOrderId"::text FROM "IdempotencyAuditEvent" WHERE "idempotencyKey" = $1`,
      [heldKey],
    );
    expect(audit).toEqual([
      { outcome: 'possible_duplicate_held', operation: 'createOrder', relatedOrderId: candidateId },
    ]);

    // A retry of the held key is held again, as the same held order.
    const again = await placeOrder(server, 'hana', heldKey, 'HELD-A', 2);
    expect(again).toMatchObject({ __typename: 'PossibleDuplicate', heldOrderId });
    const rows = await db.query(`SELECT 1 FROM "HeldOrder" WHERE "customerId" = 'hana'`);
    expect(rows).toHaveLength(1);

    const listed = await postOperation(
      server.url,
      HeldOrdersDocument,
      {},
      { token: await server.tokenFor('ada', 'admin') },
    );
    expect(listed.body.data!.heldOrders.map((held) => held.id)).toContain(heldOrderId);
    const forbidden = await postOperation(server.url, HeldOrdersDocument, {}, { token: await server.tokenFor('hana') });
    expect(forbidden.body.errors?.[0].extensions?.['code']).toBe('FORBIDDEN');
    // As every list: a page below zero is refused, not read as empty.
    const negative = await postOperation(
      server.url,
      HeldOrdersDocument,
      { first: -1 },
      { token: await server.tokenFor('ada', 'admin') },
    );
    expect(negative.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('an admin releases it once, under the held key; a repeat answers the first release, another key HeldOrderAlreadyResolved, the customer’s retry the released order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-B', 10);
    const { candidateId, heldOrderId, heldKey } = await holdOne(server, 'bela', 'HELD-B');
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('release');

    const first = await releaseHeldOrder(server.url, admin, { heldOrderId, key });
    expect(first).toMatchObject({
      __typename: 'HeldOrderReleased',
      detectedBy: null,
      heldOrder: { id: heldOrderId, status: 'RELEASED', resolvedBy: 'ada' },
      order: { customerId: 'bela', idempotencyKey: heldKey, status: 'CONFIRMED', possibleDuplicateOfId: candidateId },
    });
    const orderId = (first.order as { id: string }).id;
    expect(await stockOf(db, 'HELD-B')).toBe(6);

    const repeat = await releaseHeldOrder(server.url, admin, { heldOrderId, key });
    expect(repeat).toMatchObject({ __typename: 'HeldOrderReleased', detectedBy: 'CACHE', order: { id: orderId } });
    const other = await releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') });
    expect(other).toMatchObject({
      __typename: 'HeldOrderAlreadyResolved',
      heldOrder: { status: 'RELEASED', orderId },
    });
    const retry = await placeOrder(server, 'bela', heldKey, 'HELD-B', 2);
    expect(retry).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: orderId } });
    expect(await stockOf(db, 'HELD-B')).toBe(6);
    expect(await heldChanges(db, 'releaseHeldOrder', heldOrderId)).toEqual([{ actorId: 'ada', idempotencyKey: key }]);

    // The audit names the customer's key that became the order, and the admin who released it.
    const audit = await db.query<{ outcome: string; operation: string; customerId: string; idempotencyKey: string }>(
      `SELECT "outcome", "operation", "customerId", "idempotencyKey" FROM "IdempotencyAuditEvent"
       WHERE "orderId" = $1::uuid AND "outcome" IN ('created', 'possible_duplicate_confirmed') ORDER BY "id"`,
      [orderId],
    );
    expect(audit).toEqual([
      {
        outcome: 'possible_duplicate_confirmed',
        operation: 'createOrder',
        customerId: 'bela',
        idempotencyKey: heldKey,
      },
      { outcome: 'created', operation: 'releaseHeldOrder', customerId: 'ada', idempotencyKey: key },
    ]);
    const customer = await releaseHeldOrder(server.url, await server.tokenFor('bela'), { heldOrderId, key }).catch(
      (error: Error) => error.message,
    );
    expect(customer).toContain('FORBIDDEN');
  });

  it('applies the stock rules: a release without stock answers InsufficientStock and changes nothing; the same key releases it once stock is back', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-C', 3);
    const { heldOrderId, heldKey } = await holdOne(server, 'cleo', 'HELD-C');
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('release');

    const refused = await releaseHeldOrder(server.url, admin, { heldOrderId, key });
    expect(refused).toEqual({ __typename: 'InsufficientStock', sku: 'HELD-C', requested: 2, available: 1 });
    expect((await heldRow(db, heldOrderId)).status).toBe('HELD');
    expect(await heldChanges(db, 'releaseHeldOrder', heldOrderId)).toEqual([]);
    expect(await ordersUnderKey(db, 'cleo', heldKey)).toEqual([]);

    await db.query(`UPDATE "Product" SET "stock" = 5 WHERE "sku" = 'HELD-C'`);
    const released = await untilAnswered(() => releaseHeldOrder(server.url, admin, { heldOrderId, key }));
    expect(released).toMatchObject({ __typename: 'HeldOrderReleased', detectedBy: null });
    expect(await stockOf(db, 'HELD-C')).toBe(3);
  });

  it('an admin dismisses it: no order comes of it, a release afterwards is refused; bad input is ValidationFailed, an unknown id HeldOrderNotFound', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-D', 10);
    const { heldOrderId, heldKey } = await holdOne(server, 'dora', 'HELD-D');
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('dismiss');

    // A reason an admin reading the review would see otherwise than it is: refused, the order still held.
    const spoofed = await dismissHeldOrder(server.url, admin, {
      heldOrderId,
      key: newKey('d'),
      reason: 'ok \u202ekcilc',
    });
    expect(spoofed).toMatchObject({ __typename: 'ValidationFailed', field: 'reason' });
    expect(await db.query('SELECT "status" FROM "HeldOrder" WHERE "id" = $1', [heldOrderId])).toEqual([
      { status: 'HELD' },
    ]);
    const dismissed = await dismissHeldOrder(server.url, admin, { heldOrderId, key, reason: 'a double click' });
    expect(dismissed).toMatchObject({
      __typename: 'HeldOrderDismissed',
      reason: 'a double click',
      heldOrder: { status: 'DISMISSED', resolvedBy: 'ada', dismissReason: 'a double click' },
    });
    const repeat = await dismissHeldOrder(server.url, admin, { heldOrderId, key, reason: 'a double click' });
    expect(repeat).toMatchObject({ __typename: 'HeldOrderDismissed', detectedBy: 'CACHE' });
    const release = await releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('release') });
    expect(release).toMatchObject({ __typename: 'HeldOrderAlreadyResolved', heldOrder: { status: 'DISMISSED' } });
    expect(await ordersUnderKey(db, 'dora', heldKey)).toEqual([]);
    expect(await stockOf(db, 'HELD-D')).toBe(8);

    const blank = await dismissHeldOrder(server.url, admin, { heldOrderId, key: newKey('d'), reason: ' ' });
    expect(blank).toMatchObject({ __typename: 'ValidationFailed', field: 'reason' });
    const malformed = await releaseHeldOrder(server.url, admin, { heldOrderId: 'nope', key: newKey('r') });
    expect(malformed).toMatchObject({ __typename: 'ValidationFailed', field: 'heldOrderId' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await releaseHeldOrder(server.url, admin, { heldOrderId: unknown, key: newKey('r') })).toEqual({
      __typename: 'HeldOrderNotFound',
      heldOrderId: unknown,
    });
  });

  it('the customer confirming the possible duplicate under a new key settles the held order (PLACED): a release then places nothing', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-E', 10);
    const { heldOrderId, heldKey } = await holdOne(server, 'emil', 'HELD-E');
    const confirmed = await placeOrder(server, 'emil', newKey('confirm'), 'HELD-E', 2, {
      confirmPossibleDuplicate: true,
    });
    expect(confirmed.__typename).toBe('OrderCreated');
    expect(await heldRow(db, heldOrderId)).toMatchObject({
      status: 'PLACED',
      orderId: confirmed.order!.id,
      resolvedBy: 'emil',
    });
    const release = await releaseHeldOrder(server.url, await server.tokenFor('ada', 'admin'), {
      heldOrderId,
      key: newKey('release'),
    });
    expect(release).toMatchObject({ __typename: 'HeldOrderAlreadyResolved', heldOrder: { status: 'PLACED' } });
    expect(await ordersUnderKey(db, 'emil', heldKey)).toEqual([]);
    expect(await stockOf(db, 'HELD-E')).toBe(6);
  });

  it('a confirmation settles the held order its content is equivalent to, however retyped and from whichever door, and no other', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-F', 20);
    const address = { line1: 'Hauptstraße 12', city: 'Berlin', postalCode: '10115', country: 'DE' };
    const { heldOrderId } = await holdOne(server, 'fritz', 'HELD-F', 2, { shippingAddress: address });
    // Another street: another delivery, which leaves the held one for an admin to decide.
    const elsewhere = await placeOrder(server, 'fritz', newKey('confirm'), 'HELD-F', 2, {
      shippingAddress: { ...address, line1: 'Gartenweg 3' },
      confirmPossibleDuplicate: true,
    });
    expect(elsewhere.__typename).toBe('OrderCreated');
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'HELD' });
    // The same delivery retyped (the city's case, an abbreviation), confirmed from the app.
    const confirmed = await placeOrder(server, 'fritz', newKey('confirm'), 'HELD-F', 2, {
      shippingAddress: { ...address, line1: 'Hauptstr. 12', city: 'berlin' },
      channel: 'MOBILE',
      confirmPossibleDuplicate: true,
    });
    expect(confirmed.__typename).toBe('OrderCreated');
    expect(await heldRow(db, heldOrderId)).toMatchObject({ status: 'PLACED', orderId: confirmed.order!.id });
    const release = await releaseHeldOrder(server.url, await server.tokenFor('ada', 'admin'), {
      heldOrderId,
      key: newKey('release'),
    });
    expect(release).toMatchObject({ __typename: 'HeldOrderAlreadyResolved', heldOrder: { status: 'PLACED' } });
    // The first order, the other delivery and the confirmation: 6 units, none for the held order.
    expect(await stockOf(db, 'HELD-F')).toBe(14);
  });

  it('under a storm of releases (16 keys × 2 retrying clients per held order, 4 held orders) places each held order exactly once', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-STORM', 100);
    const held = [];
    for (let index = 0; index < 4; index++) held.push(await holdOne(server, `storm-held-${index}`, 'HELD-STORM', 3));
    expect(await stockOf(db, 'HELD-STORM')).toBe(88);
    const admin = await server.tokenFor('ada', 'admin');
    const clients = held.flatMap(({ heldOrderId }) =>
      Array.from({ length: 16 }, () => newKey('storm')).flatMap((key) => [
        { heldOrderId, key },
        { heldOrderId, key },
      ]),
    );
    const answers = await Promise.all(
      clients.map((variables) => untilAnswered(() => releaseHeldOrder(server.url, admin, variables))),
    );
    console.log(`release storm of ${answers.length} clients: ${JSON.stringify(tally(answers, labelOf))}`);

    expect(await stockOf(db, 'HELD-STORM')).toBe(76);
    for (const [index, { heldOrderId, heldKey }] of held.entries()) {
      expect(await ordersUnderKey(db, `storm-held-${index}`, heldKey)).toHaveLength(1);
      const changes = await heldChanges(db, 'releaseHeldOrder', heldOrderId);
      expect(changes).toHaveLength(1);
      // Both clients of the winning key got the release; every other key, HeldOrderAlreadyResolved.
      clients.forEach((client, at) => {
        if (client.heldOrderId !== heldOrderId) return;
        const expected = client.key === changes[0].idempotencyKey ? 'HeldOrderReleased' : 'HeldOrderAlreadyResolved';
        expect(answers[at].__typename).toBe(expected);
      });
    }
  });

  it('releases racing dismissals (8 keys of each per held order, 4 held orders) come to exactly one outcome per held order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'HELD-RACE', 100);
    const held = [];
    for (let index = 0; index < 4; index++) held.push(await holdOne(server, `race-held-${index}`, 'HELD-RACE', 1));
    const admin = await server.tokenFor('ada', 'admin');
    // Half the held orders see a release sent first, half a dismissal, so both outcomes get their chance.
    const calls = held.flatMap(({ heldOrderId }, index) =>
      Array.from({ length: 8 }, () => {
        const release = () => releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('r') });
        const dismiss = () => dismissHeldOrder(server.url, admin, { heldOrderId, key: newKey('d'), reason: 'race' });
        return (index % 2 === 0 ? [release, dismiss] : [dismiss, release]).map((call) => ({ heldOrderId, call }));
      }).flat(),
    );
    const answers = await Promise.all(calls.map(({ call }) => untilAnswered(call)));
    console.log(`release/dismiss race of ${answers.length} clients: ${JSON.stringify(tally(answers, labelOf))}`);

    let released = 0;
    for (const [index, { heldOrderId, heldKey }] of held.entries()) {
      const row = await heldRow(db, heldOrderId);
      const releases = await heldChanges(db, 'releaseHeldOrder', heldOrderId);
      const dismissals = await heldChanges(db, 'dismissHeldOrder', heldOrderId);
      const orders = await ordersUnderKey(db, `race-held-${index}`, heldKey);
      expect(releases.length + dismissals.length).toBe(1);
      expect([row.status, orders.length]).toEqual(releases.length === 1 ? ['RELEASED', 1] : ['DISMISSED', 0]);
      if (releases.length === 1) released += 1;
      const mine = answers.filter((_, at) => calls[at].heldOrderId === heldOrderId);
      expect(mine.filter((answer) => answer.__typename !== 'HeldOrderAlreadyResolved')).toHaveLength(1);
    }
    expect(await stockOf(db, 'HELD-RACE')).toBe(100 - 4 - released);
  });
});
