import { postOperation } from '../../support/graphql-client';
import { CreateOrderDocument } from '../../operations/generated';
import { newKey, tally } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { cancelOrder, changesOf, labelOf, placeOrders, seedProduct, stockOf, untilAnswered } from './lifecycle-client';

// OFF: the storms place many same-cart orders; the possible-duplicate hold is not under test here.
const fixture = withTestServer('cancel-order', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });

describe('cancelOrder', () => {
  it('cancels the customer’s order and returns its stock; the same key repeats the first answer; a new key gets OrderAlreadyCancelled', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CANCEL-A', 10);
    const [orderId] = await placeOrders(server, 'CANCEL-A', 1, 3, () => 'cora');
    expect(await stockOf(db, 'CANCEL-A')).toBe(7);
    const token = await server.tokenFor('cora');
    const key = newKey('cancel');

    const first = await cancelOrder(server.url, token, { orderId, key, reason: 'changed my mind' });
    expect(first).toMatchObject({
      __typename: 'OrderCancelled',
      detectedBy: null,
      reason: 'changed my mind',
      order: { id: orderId, status: 'CANCELLED' },
    });
    expect(await stockOf(db, 'CANCEL-A')).toBe(10);

    const repeat = await cancelOrder(server.url, token, { orderId, key, reason: 'changed my mind' });
    expect(repeat).toMatchObject({ __typename: 'OrderCancelled', detectedBy: 'CACHE', order: { id: orderId } });
    expect(repeat['cancelledAt']).toBe(first['cancelledAt']);
    // The id in capitals is the same order: the same request, not the key reused.
    const shouted = await cancelOrder(server.url, token, {
      orderId: orderId.toUpperCase(),
      key,
      reason: 'changed my mind',
    });
    expect(shouted).toMatchObject({ __typename: 'OrderCancelled', detectedBy: 'CACHE', order: { id: orderId } });

    const other = await cancelOrder(server.url, token, { orderId, key: newKey('cancel'), reason: 'again' });
    expect(other).toMatchObject({ __typename: 'OrderAlreadyCancelled', order: { id: orderId, status: 'CANCELLED' } });
    const reused = await cancelOrder(server.url, token, { orderId, key, reason: 'another reason' });
    expect(reused).toMatchObject({ __typename: 'IdempotencyKeyReused', idempotencyKey: key });

    expect(await stockOf(db, 'CANCEL-A')).toBe(10);
    expect(await changesOf(db, 'cancelOrder', [orderId])).toHaveLength(1);
    await server.app.services.auditLog.flush();
    const audit = await db.query<{ outcome: string; operation: string; source: string | null }>(
      `SELECT "outcome", "operation", "source" FROM "IdempotencyAuditEvent" WHERE "orderId" = $1 AND "operation" IS NOT NULL ORDER BY "at", "id"`,
      [orderId],
    );
    // The order's own record names its operation too (every decision does), and the cancel's
    // repeats answered from Redis name the order (orderHistory lists them); the reused key does not.
    expect(audit).toEqual([
      { outcome: 'created', operation: 'createOrder', source: null },
      { outcome: 'created', operation: 'cancelOrder', source: null },
      { outcome: 'duplicate', operation: 'cancelOrder', source: 'CACHE' },
      { outcome: 'duplicate', operation: 'cancelOrder', source: 'CACHE' },
      { outcome: 'rejected', operation: 'cancelOrder', source: null },
    ]);
  });

  it('answers OrderNotFound for another customer’s order and changes nothing; an admin may cancel any order', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CANCEL-B', 5);
    const [orderId] = await placeOrders(server, 'CANCEL-B', 1, 2, () => 'owner-b');
    const stranger = await cancelOrder(server.url, await server.tokenFor('mallory'), {
      orderId,
      key: newKey('cancel'),
      reason: 'not mine',
    });
    expect(stranger).toEqual({ __typename: 'OrderNotFound', orderId });
    expect(await stockOf(db, 'CANCEL-B')).toBe(3);
    const admin = await cancelOrder(server.url, await server.tokenFor('ada', 'admin'), {
      orderId,
      key: newKey('cancel'),
      reason: 'fraud',
    });
    expect(admin).toMatchObject({ __typename: 'OrderCancelled', order: { id: orderId, customerId: 'owner-b' } });
    expect(await stockOf(db, 'CANCEL-B')).toBe(5);
  });

  it('rejects a malformed order id and a blank reason as ValidationFailed, claiming nothing', async () => {
    const token = await fixture.server.tokenFor('cora');
    const key = newKey('cancel');
    expect(await cancelOrder(fixture.server.url, token, { orderId: 'nope', key, reason: 'x' })).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'orderId',
    });
    const uuid = '00000000-0000-4000-8000-000000000000';
    expect(await cancelOrder(fixture.server.url, token, { orderId: uuid, key, reason: '  ' })).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'reason',
    });
    expect(await cancelOrder(fixture.server.url, token, { orderId: uuid, key, reason: 'ok' })).toEqual({
      __typename: 'OrderNotFound',
      orderId: uuid,
    });
  });

  it('refuses (ValidationFailed) a cancel whose returned stock would pass what a product holds, changing nothing; the same key cancels once the stock is lowered', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CANCEL-FULL', 10);
    const [orderId] = await placeOrders(server, 'CANCEL-FULL', 1, 5, () => 'fulla');
    await db.query(`UPDATE "Product" SET "stock" = 2147483647 WHERE "sku" = 'CANCEL-FULL'`);
    const token = await server.tokenFor('fulla');
    const key = newKey('cancel');

    const refused = await cancelOrder(server.url, token, { orderId, key, reason: 'too much' });
    expect(refused).toMatchObject({ __typename: 'ValidationFailed', field: 'orderId' });
    expect(await stockOf(db, 'CANCEL-FULL')).toBe(2147483647);
    expect(await changesOf(db, 'cancelOrder', [orderId])).toHaveLength(0);
    const [order] = await db.query<{ status: string }>(`SELECT "status" FROM "Order" WHERE "id" = $1`, [orderId]);
    expect(order.status).toBe('CONFIRMED');

    await db.query(`UPDATE "Product" SET "stock" = 100 WHERE "sku" = 'CANCEL-FULL'`);
    const cancelled = await cancelOrder(server.url, token, { orderId, key, reason: 'too much' });
    expect(cancelled).toMatchObject({ __typename: 'OrderCancelled', order: { id: orderId, status: 'CANCELLED' } });
    expect(await stockOf(db, 'CANCEL-FULL')).toBe(105);
  });

  it('keeps a cancelOrder key apart from the createOrder key of the same customer', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CANCEL-C', 5);
    const token = await server.tokenFor('kim');
    const key = newKey('shared');
    const input = { currency: 'EUR', items: [{ sku: 'CANCEL-C', quantity: 1 }] };
    const created = await postOperation(server.url, CreateOrderDocument, { key, input }, { token });
    const order = created.body.data!.createOrder;
    if (order.__typename !== 'OrderCreated') throw new Error(order.__typename);
    const cancelled = await cancelOrder(server.url, token, { orderId: order.order.id, key, reason: 'same key' });
    expect(cancelled).toMatchObject({ __typename: 'OrderCancelled', detectedBy: null });
    // The createOrder key still answers with its order, now shown cancelled (its replay was rewritten).
    const repeat = await postOperation(server.url, CreateOrderDocument, { key, input }, { token });
    expect(repeat.body.data!.createOrder).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: order.order.id, status: 'CANCELLED' },
    });
  });

  it('under a storm of cancels (6 keys × 4 retrying clients per order, 10 orders) cancels each order once and returns the stock once', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'CANCEL-STORM', 100);
    const orders = await placeOrders(server, 'CANCEL-STORM', 10, 3, (index) => `storm-cancel-${index}`);
    expect(await stockOf(db, 'CANCEL-STORM')).toBe(70);
    const tokens = await Promise.all(orders.map((_, index) => server.tokenFor(`storm-cancel-${index}`)));
    const clients = orders.flatMap((orderId, index) =>
      Array.from({ length: 6 }, () => newKey('storm')).flatMap((key) =>
        Array.from({ length: 4 }, () => ({ orderId, key, token: tokens[index] })),
      ),
    );
    const answers = await Promise.all(
      clients.map(({ orderId, key, token }) =>
        untilAnswered(() => cancelOrder(server.url, token, { orderId, key, reason: 'storm' })),
      ),
    );
    const counts = tally(answers, labelOf);
    console.log(`cancel storm of ${answers.length} clients: ${JSON.stringify(counts)}`);

    expect(await stockOf(db, 'CANCEL-STORM')).toBe(100);
    const changes = await changesOf(db, 'cancelOrder', orders);
    expect(changes.map((change) => change.orderId).sort()).toEqual([...orders].sort());
    expect(counts['OrderCancelled']).toBe(10);
    // Every client of the key that cancelled got that cancellation; every other key, OrderAlreadyCancelled.
    answers.forEach((answer, index) => {
      const winner = changes.find((change) => change.orderId === clients[index].orderId)!.idempotencyKey;
      expect(answer.__typename).toBe(clients[index].key === winner ? 'OrderCancelled' : 'OrderAlreadyCancelled');
    });
    const statuses = await db.query<{ status: string }>(
      `SELECT DISTINCT "status"::text FROM "Order" WHERE "id" = ANY($1::uuid[])`,
      [orders],
    );
    expect(statuses).toEqual([{ status: 'CANCELLED' }]);
  });
});
