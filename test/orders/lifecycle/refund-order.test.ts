import { OrderRefundsDocument } from '../../operations/generated';
import { postOperation } from '../../support/graphql-client';
import { createOrder, newKey, orderIdOf, tally } from '../../support/order-client';
import { withTestServer } from '../../support/test-server-fixture';
import { changesOf, labelOf, placeOrders, refundOrder, seedProduct, untilAnswered } from './lifecycle-client';

const fixture = withTestServer('refund-order', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });

describe('refundOrder', () => {
  it('refunds in parts, each its own record; a repeat returns it; the sum never passes what was paid', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'REFUND-A', 10, 1_000);
    const [orderId] = await placeOrders(server, 'REFUND-A', 1, 3, () => 'rita');
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('refund');

    const first = await refundOrder(server.url, admin, { orderId, key, amountCents: 1_200 });
    expect(first).toMatchObject({
      __typename: 'OrderRefunded',
      detectedBy: null,
      refundedCents: 1_200,
      refund: { orderId, amountCents: 1_200 },
    });
    const repeat = await refundOrder(server.url, admin, { orderId, key, amountCents: 1_200 });
    expect(repeat).toMatchObject({
      __typename: 'OrderRefunded',
      detectedBy: 'CACHE',
      refund: first['refund'] as object,
    });

    const byLine = await refundOrder(server.url, admin, {
      orderId,
      key: newKey('refund'),
      lines: [{ sku: 'refund-a', quantity: 1 }],
    });
    expect(byLine).toMatchObject({ __typename: 'OrderRefunded', refundedCents: 2_200, refund: { amountCents: 1_000 } });

    const tooMuch = await refundOrder(server.url, admin, { orderId, key: newKey('refund'), amountCents: 801 });
    expect(tooMuch).toEqual({
      __typename: 'RefundExceedsPaid',
      paidCents: 3_000,
      refundedCents: 2_200,
      requestedCents: 801,
    });
    const rest = await refundOrder(server.url, admin, { orderId, key: newKey('refund'), amountCents: 800 });
    expect(rest).toMatchObject({ __typename: 'OrderRefunded', refundedCents: 3_000 });
    const refunds = await changesOf(db, 'refundOrder', [orderId]);
    expect(refunds.map((refund) => refund.amountCents).sort()).toEqual([1_000, 1_200, 800].sort());
  });

  it('takes the same lines in another order as the same refund: a repeat, not the key reused', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'REFUND-L1', 10, 100);
    await seedProduct(db, 'REFUND-L2', 10, 10);
    const answer = await createOrder(server, { customerId: 'lena' }, newKey('place'), {
      currency: 'EUR',
      items: [
        { sku: 'REFUND-L1', quantity: 2 },
        { sku: 'REFUND-L2', quantity: 2 },
      ],
    });
    const orderId = orderIdOf(answer)!;
    const admin = await server.tokenFor('ada', 'admin');
    const key = newKey('refund');
    const lines = [
      { sku: 'REFUND-L2', quantity: 1 },
      { sku: 'REFUND-L1', quantity: 1 },
    ];
    const first = await refundOrder(server.url, admin, { orderId, key, lines });
    expect(first).toMatchObject({ __typename: 'OrderRefunded', refund: { amountCents: 110 } });
    const again = await refundOrder(server.url, admin, { orderId, key, lines: [...lines].reverse() });
    expect(again).toMatchObject({
      __typename: 'OrderRefunded',
      detectedBy: 'CACHE',
      refund: first['refund'] as object,
    });
    // The record keeps its lines in SKU order, as it did when requests were kept sorted.
    const [row] = await db.query<{ details: unknown }>(
      `SELECT "details" FROM "AppliedChange" WHERE "idempotencyKey" = $1`,
      [key],
    );
    expect(row.details).toEqual({
      lines: [
        { sku: 'REFUND-L1', quantity: 1 },
        { sku: 'REFUND-L2', quantity: 1 },
      ],
    });
  });

  it('answers typed problems naming the line as sent (lines[1].sku): both or neither of amount and lines, a line the order lacks, a customer caller', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'REFUND-B', 10, 500);
    const [orderId] = await placeOrders(server, 'REFUND-B', 1, 1, () => 'rob');
    const admin = await server.tokenFor('ada', 'admin');
    const refusal = async (lines: { sku: string; quantity: number }[]) => {
      const answer = await refundOrder(server.url, admin, { orderId, key: newKey('refund'), lines });
      return [answer.__typename, answer['field']];
    };
    expect(await refundOrder(server.url, admin, { orderId, key: newKey('refund') })).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'amountCents',
    });
    expect(await refusal([{ sku: 'OTHER', quantity: 1 }])).toEqual(['ValidationFailed', 'lines[0].sku']);
    expect(await refusal([{ sku: 'REFUND-B', quantity: 2 }])).toEqual(['ValidationFailed', 'lines[0].quantity']);
    // The place in the caller's list, not in SKU order (AAA-… sorts before REFUND-B).
    const lacking = [
      { sku: 'REFUND-B', quantity: 1 },
      { sku: 'AAA-OTHER', quantity: 1 },
    ];
    expect(await refusal(lacking)).toEqual(['ValidationFailed', 'lines[1].sku']);
    const none = [
      { sku: 'REFUND-B', quantity: 1 },
      { sku: 'AAA-OTHER', quantity: 0 },
    ];
    expect(await refusal(none)).toEqual(['ValidationFailed', 'lines[1].quantity']);
    const twice = [
      { sku: 'REFUND-B', quantity: 1 },
      { sku: ' refund-b', quantity: 1 },
    ];
    expect(await refusal(twice)).toEqual(['ValidationFailed', 'lines[1].sku']);
    await expect(
      refundOrder(server.url, await server.tokenFor('rob'), { orderId, key: newKey('refund'), amountCents: 1 }),
    ).rejects.toThrow(/FORBIDDEN/);
    expect(await changesOf(db, 'refundOrder', [orderId])).toEqual([]);
  });

  it('under a storm of refunds (5 orders × 12 keys × 3 retrying clients, 300 cents each on 2 000 paid) never refunds more than was paid, one record per applied key', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'REFUND-STORM', 100, 1_000);
    const orders = await placeOrders(server, 'REFUND-STORM', 5, 2, (index) => `refund-storm-${index}`);
    const admin = await server.tokenFor('ada', 'admin');
    const clients = orders.flatMap((orderId) =>
      Array.from({ length: 12 }, () => newKey('refund')).flatMap((key) =>
        Array.from({ length: 3 }, () => ({ orderId, key })),
      ),
    );
    const answers = await Promise.all(
      clients.map(({ orderId, key }) =>
        untilAnswered(() => refundOrder(server.url, admin, { orderId, key, amountCents: 300 })),
      ),
    );
    console.log(`refund storm of ${answers.length} clients: ${JSON.stringify(tally(answers, labelOf))}`);
    const refunds = await changesOf(db, 'refundOrder', orders);
    for (const orderId of orders) {
      const own = refunds.filter((refund) => refund.orderId === orderId);
      // 6 × 300 = 1 800 fits in 2 000; a seventh would not.
      expect(own).toHaveLength(6);
      expect(new Set(own.map((refund) => refund.idempotencyKey)).size).toBe(6);
    }
    clients.forEach(({ key }, index) => {
      const applied = refunds.some((refund) => refund.idempotencyKey === key);
      if (answers[index].__typename === 'OrderRefunded') expect(applied).toBe(true);
      else expect(answers[index].__typename).toBe('RefundExceedsPaid');
    });

    // What each customer reads afterwards: every record, and refundedCents their sum.
    for (const [index, orderId] of orders.entries()) {
      const read = await postOperation(
        server.url,
        OrderRefundsDocument,
        { id: orderId },
        { token: await server.tokenFor(`refund-storm-${index}`) },
      );
      const order = read.body.data!.order!;
      const records = await db.query<{ id: string }>(
        `SELECT "id" FROM "AppliedChange" WHERE "orderId" = $1 AND "operation" = 'refundOrder' ORDER BY "createdAt", "id"`,
        [orderId],
      );
      expect(order.refunds.map((refund) => refund.id)).toEqual(records.map((record) => record.id));
      expect(order.refunds.reduce((cents, refund) => cents + refund.amountCents, 0)).toBe(order.refundedCents);
      expect(order.refundedCents).toBe(1_800);
    }
  });
});
