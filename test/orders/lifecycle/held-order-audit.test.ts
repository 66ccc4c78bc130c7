import { post } from '../../support/channels';
import { postGraphQL } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { heldRow, holdOne, placeOrder } from './held-order-client';
import { dismissHeldOrder, releaseHeldOrder, seedProduct } from './lifecycle-client';

// The default policy: HOLD on every channel, a 10-minute window.
const fixture = withTestServer('held-order-audit');

type Event = {
  outcome: string;
  operation: string;
  source: string | null;
  orderId: string | null;
  relatedOrderId: string | null;
};
const EVENT = 'outcome operation source orderId relatedOrderId';

/** orderHistory and duplicateAttempts of an order, as an admin reads them (after the buffered rows are written). */
async function auditOf(orderId: string): Promise<{ history: Event[]; attempts: Event[] }> {
  const { server } = fixture;
  await server.app.services.auditLog.flush();
  const response = await postGraphQL<{ orderHistory: Event[]; duplicateAttempts: Event[] }>(
    server.url,
    `query ($orderId: ID!) { orderHistory(orderId: $orderId) { ${EVENT} } duplicateAttempts(orderId: $orderId) { ${EVENT} } }`,
    { orderId },
    { token: await server.tokenFor('ada', 'admin') },
  );
  expect(response.body.errors).toBeUndefined();
  return { history: response.body.data!.orderHistory, attempts: response.body.data!.duplicateAttempts };
}

const lifecycleOf = (events: Event[], operation: string) => events.filter((event) => event.operation === operation);

describe('the audit of held orders', () => {
  it('a release’s repeats answered from Redis name the order placed and the candidate, as the first release does', async () => {
    const { server } = fixture;
    await seedProduct(fixture.db, 'AUDIT-R', 10);
    const { candidateId, heldOrderId } = await holdOne(server, 'rhea', 'AUDIT-R');
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('rel');

    const first = await releaseHeldOrder(server.url, admin, { heldOrderId, key });
    const orderId = (first.order as { id: string }).id;
    for (let repeat = 0; repeat < 2; repeat++)
      expect(await releaseHeldOrder(server.url, admin, { heldOrderId, key })).toMatchObject({
        __typename: 'HeldOrderReleased',
        detectedBy: 'CACHE',
        order: { id: orderId },
      });

    const release = { operation: 'releaseHeldOrder', orderId, relatedOrderId: candidateId };
    const { history, attempts } = await auditOf(orderId);
    expect(lifecycleOf(history, 'releaseHeldOrder')).toEqual([
      { ...release, outcome: 'created', source: null },
      { ...release, outcome: 'duplicate', source: 'CACHE' },
      { ...release, outcome: 'duplicate', source: 'CACHE' },
    ]);
    expect(lifecycleOf(attempts, 'releaseHeldOrder')).toEqual([
      { ...release, outcome: 'duplicate', source: 'CACHE' },
      { ...release, outcome: 'duplicate', source: 'CACHE' },
    ]);
  });

  it('so do those of a release through the partner REST API', async () => {
    const { server } = fixture;
    await seedProduct(fixture.db, 'AUDIT-REST', 10);
    const { candidateId, heldOrderId } = await holdOne(server, 'remy', 'AUDIT-REST');
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${await server.tokenFor('ada', 'admin')}`,
      'idempotency-key': newKey('rel'),
    };
    const send = () => post(server.url, `/api/v1/held-orders/${heldOrderId}/release`, '{}', headers);
    const answers = [await send(), await send(), await send()];
    expect(answers.map((answer) => answer.status)).toEqual([201, 200, 200]);
    const orderId = (await heldRow(fixture.db, heldOrderId)).orderId!;

    const { history } = await auditOf(orderId);
    const release = { operation: 'releaseHeldOrder', orderId, relatedOrderId: candidateId };
    expect(lifecycleOf(history, 'releaseHeldOrder')).toEqual([
      { ...release, outcome: 'created', source: null },
      { ...release, outcome: 'duplicate', source: 'CACHE' },
      { ...release, outcome: 'duplicate', source: 'CACHE' },
    ]);
  });

  it('a dismissal places no order: its rows, first and repeated from Redis, name the candidate it was held against', async () => {
    const { server } = fixture;
    await seedProduct(fixture.db, 'AUDIT-D', 10);
    const { candidateId, heldOrderId } = await holdOne(server, 'dora', 'AUDIT-D');
    const admin = await server.tokenFor('ada', 'admin');
    const call = { heldOrderId, key: newKey('dis'), reason: 'a double click' };

    expect(await dismissHeldOrder(server.url, admin, call)).toMatchObject({ __typename: 'HeldOrderDismissed' });
    for (let repeat = 0; repeat < 2; repeat++)
      expect(await dismissHeldOrder(server.url, admin, call)).toMatchObject({
        __typename: 'HeldOrderDismissed',
        detectedBy: 'CACHE',
      });

    const dismissal = { operation: 'dismissHeldOrder', orderId: null, relatedOrderId: candidateId };
    const { history, attempts } = await auditOf(candidateId);
    expect(lifecycleOf(history, 'dismissHeldOrder')).toEqual([
      { ...dismissal, outcome: 'created', source: null },
      { ...dismissal, outcome: 'duplicate', source: 'CACHE' },
      { ...dismissal, outcome: 'duplicate', source: 'CACHE' },
    ]);
    expect(lifecycleOf(attempts, 'dismissHeldOrder')).toHaveLength(2);
  });

  it('held orders released one after another: each order is a possible duplicate of its held order’s candidate, as the list and the audit say', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'AUDIT-S', 20);
    const { candidateId, heldOrderId: firstHeld } = await holdOne(server, 'sami', 'AUDIT-S');
    const held = [firstHeld];
    for (let again = 0; again < 2; again++) {
      const answer = await placeOrder(server, 'sami', newKey('held'), 'AUDIT-S', 2);
      expect(answer).toMatchObject({ __typename: 'PossibleDuplicate', candidate: { id: candidateId } });
      held.push(answer.heldOrderId!);
    }
    const admin = await server.tokenFor('ada', 'admin');
    const placed: string[] = [];
    for (const heldOrderId of held) {
      const released = await releaseHeldOrder(server.url, admin, { heldOrderId, key: newKey('rel') });
      expect(released).toMatchObject({
        __typename: 'HeldOrderReleased',
        order: { possibleDuplicateOfId: candidateId },
      });
      placed.push((released.order as { id: string }).id);
    }

    const listed = await postGraphQL<{ heldOrders: { id: string; candidateOrderId: string; orderId: string }[] }>(
      server.url,
      'query { heldOrders(status: RELEASED, first: 100) { id candidateOrderId orderId } }',
      {},
      { token: admin },
    );
    const mine = listed.body.data!.heldOrders.filter((row) => held.includes(row.id));
    expect(mine).toHaveLength(3);
    const orders = await db.query<{ id: string; possibleDuplicateOfId: string }>(
      `SELECT "id"::text, "possibleDuplicateOfId"::text FROM "Order" WHERE "id" = ANY($1::uuid[])`,
      [placed],
    );
    for (const row of mine) {
      expect((await heldRow(db, row.id)).candidateOrderId).toBe(candidateId);
      expect(orders.find((order) => order.id === row.orderId)?.possibleDuplicateOfId).toBe(row.candidateOrderId);
      const { history } = await auditOf(row.orderId);
      // The placed order's own row (its key's) and the release's name the same candidate.
      expect(history.filter((event) => event.orderId === row.orderId)).toEqual([
        expect.objectContaining({ outcome: 'possible_duplicate_confirmed', relatedOrderId: candidateId }),
        expect.objectContaining({ operation: 'releaseHeldOrder', outcome: 'created', relatedOrderId: candidateId }),
      ]);
    }
  });
});
