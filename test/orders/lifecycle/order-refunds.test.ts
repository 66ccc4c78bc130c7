import { randomUUID } from 'node:crypto';
import {
  CreateOrderShowingRefundsDocument,
  OrderRefundsDocument,
  OrdersRefundsDocument,
  RefundShowingRefundsDocument,
} from '../../operations/generated';
import type { OrderRefundsFieldsFragment } from '../../operations/generated';
import { postOperation } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import { recordStatements } from '../../support/sql-statements';
import { withTestServer } from '../../support/test-server-fixture';
import { placeOrders, refundOrder, seedProduct } from './lifecycle-client';

// Reading an order's refunds: Order.refunds and Order.refundedCents, through the real GraphQL path.

// One customer places the page's 50 orders with one cart: no holds, and no rate limit in the way.
const fixture = withTestServer('order-refunds', { SEMANTIC_DUPLICATE_POLICY: 'OFF', ORDER_RATE_LIMIT: '1000/10' });

/** The order with its refunds as `customer` reads it with order(id:); null when it is not theirs. */
async function refundsAsRead(customer: string, orderId: string): Promise<OrderRefundsFieldsFragment | null> {
  const { server } = fixture;
  const response = await postOperation(
    server.url,
    OrderRefundsDocument,
    { id: orderId },
    { token: await server.tokenFor(customer) },
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.order ?? null;
}

describe('Order.refunds and Order.refundedCents', () => {
  it('list each refund (by amount, by lines) oldest first, refundedCents their sum; [] and 0 before any', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'READ-A', 10, 1_000);
    await seedProduct(db, 'READ-B', 10, 250);
    const [orderId] = await placeOrders(server, 'READ-A', 1, 3, () => 'reader-rita');
    expect(await refundsAsRead('reader-rita', orderId)).toEqual({
      id: orderId,
      totalCents: 3_000,
      refundedCents: 0,
      refunds: [],
    });

    const admin = await server.tokenFor('reader-admin', 'admin');
    const byAmount = await refundOrder(server.url, admin, { orderId, key: newKey('refund'), amountCents: 1_200 });
    const byLines = await refundOrder(server.url, admin, {
      orderId,
      key: newKey('refund'),
      lines: [{ sku: ' read-a ', quantity: 1 }],
    });
    const read = await refundsAsRead('reader-rita', orderId);
    expect(read).toEqual({
      id: orderId,
      totalCents: 3_000,
      refundedCents: 2_200,
      refunds: [
        {
          id: (byAmount['refund'] as { id: string }).id,
          orderId,
          amountCents: 1_200,
          lines: null,
          createdAt: (byAmount['refund'] as { createdAt: string }).createdAt,
        },
        {
          id: (byLines['refund'] as { id: string }).id,
          orderId,
          amountCents: 1_000,
          lines: [{ sku: 'READ-A', quantity: 1 }],
          createdAt: (byLines['refund'] as { createdAt: string }).createdAt,
        },
      ],
    });
    // The records are the AppliedChange rows, nothing else.
    const rows = await db.query<{ id: string }>(
      `SELECT "id" FROM "AppliedChange" WHERE "orderId" = $1 AND "operation" = 'refundOrder' ORDER BY "createdAt"`,
      [orderId],
    );
    expect(read!.refunds.map((refund) => refund.id)).toEqual(rows.map((row) => row.id));
  });

  it('are readable by whoever may read the order: its customer, an admin through a lifecycle answer, never another customer', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'READ-C', 10, 500);
    const [orderId] = await placeOrders(server, 'READ-C', 1, 2, () => 'reader-owner');
    const admin = await server.tokenFor('reader-admin', 'admin');
    await refundOrder(server.url, admin, { orderId, key: newKey('refund'), amountCents: 300 });

    // Another customer: the order does not exist for them, in order(id:) or in their orders.
    expect(await refundsAsRead('reader-mallory', orderId)).toBeNull();
    const theirs = await postOperation(
      server.url,
      OrdersRefundsDocument,
      { first: 100 },
      { token: await server.tokenFor('reader-mallory') },
    );
    expect(theirs.body).toEqual({ data: { orders: [] } });

    // An admin reads a customer's order (and its refunds) where the project shows it one: the
    // answer of a change the admin made; order(id:) stays the caller's own orders.
    const answer = await postOperation(
      server.url,
      RefundShowingRefundsDocument,
      { orderId, key: newKey('refund'), amountCents: 200 },
      { token: admin },
    );
    const refunded = answer.body.data!.refundOrder;
    expect(refunded.__typename).toBe('OrderRefunded');
    const order = (refunded as { order: OrderRefundsFieldsFragment }).order;
    expect([order.refundedCents, order.refunds.map((refund) => refund.amountCents)]).toEqual([500, [300, 200]]);
    expect(await refundsAsRead('reader-admin', orderId)).toBeNull();

    expect((await refundsAsRead('reader-owner', orderId))!.refundedCents).toBe(500);
  });

  it('load a page of 50 orders with their refunds in two statements: the page, then every refund at once (no N+1)', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'READ-PAGE', 1_000, 100);
    const customer = `page-${randomUUID()}`;
    const orders = await placeOrders(server, 'READ-PAGE', 50, 2, () => customer);
    const admin = await server.tokenFor('reader-admin', 'admin');
    for (const [index, orderId] of orders.entries())
      await refundOrder(server.url, admin, { orderId, key: newKey('refund'), amountCents: 1 + (index % 3) });
    const token = await server.tokenFor(customer);

    const log = recordStatements(db.name);
    let page;
    try {
      page = await postOperation(server.url, OrdersRefundsDocument, { first: 50 }, { token });
    } finally {
      log.stop();
    }
    const read = page.body.data!.orders;
    expect(read).toHaveLength(50);
    expect(new Set(read.map((order) => order.id))).toEqual(new Set(orders));
    for (const order of read) {
      expect(order.refunds).toHaveLength(1);
      expect(order.refundedCents).toBe(order.refunds[0].amountCents);
    }
    // Audit batches of earlier requests may flush meanwhile (their own statements): not this read's.
    const reads = log.statements.filter((text) => !text.includes('IdempotencyAuditEvent'));
    expect(reads.filter((text) => text.includes('"AppliedChange"'))).toHaveLength(1);
    expect(reads).toHaveLength(2);
  });

  it('show a refund made since in a createOrder repeat, even one sent again byte for byte (the response replayed before Apollo)', async () => {
    const { server, db } = fixture;
    await seedProduct(db, 'READ-REPEAT', 10, 1_000);
    const token = await server.tokenFor('reader-repeat');
    const variables = {
      key: newKey('place'),
      input: { currency: 'EUR', items: [{ sku: 'READ-REPEAT', quantity: 2 }] },
    };
    const repeat = async () => {
      const response = await postOperation(server.url, CreateOrderShowingRefundsDocument, variables, { token });
      if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
      const answer = response.body.data!.createOrder;
      return 'originalOrder' in answer ? answer.originalOrder : 'order' in answer ? answer.order : answer;
    };
    const placed = (await repeat()) as OrderRefundsFieldsFragment;
    // Two repeats: the first is stored as sent, the second answered from it (src/http/edge-replay.ts).
    expect(await repeat()).toMatchObject({ refundedCents: 0, refunds: [] });
    expect(await repeat()).toMatchObject({ refundedCents: 0, refunds: [] });

    const admin = await server.tokenFor('reader-admin', 'admin');
    await refundOrder(server.url, admin, { orderId: placed.id, key: newKey('refund'), amountCents: 700 });
    for (let sent = 0; sent < 2; sent++)
      expect(await repeat()).toMatchObject({ refundedCents: 700, refunds: [{ amountCents: 700 }] });
  });
});
