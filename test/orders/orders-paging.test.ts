import { randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { postOperation } from '../support/graphql-client';
import { createOrder, newKey, orderIdOf } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { OrdersDocument } from '../operations/generated';
import type { OrdersQueryVariables } from '../operations/generated';

// Many orders from one customer in a few seconds: neither a possible duplicate nor a rate limit.
const fixture = withTestServer('orders-paging', { SEMANTIC_DUPLICATE_POLICY: 'OFF', ORDER_RATE_LIMIT: '10000/1' });

const SKU = 'PAGE-1';

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: SKU, priceCents: 100, stock: 100_000 }]);
});

/** Places `count` orders for the customer through createOrder, ten at a time; their ids. */
async function placeOrders(customerId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let placed = 0; placed < count; placed += 10) {
    const batch = Array.from({ length: Math.min(10, count - placed) }, () =>
      createOrder(fixture.server, { customerId }, newKey('page'), {
        currency: 'EUR',
        items: [{ sku: SKU, quantity: 1 }],
      }),
    );
    ids.push(...(await Promise.all(batch)).map((answer) => orderIdOf(answer)!));
  }
  return ids;
}

/** The customer's orders as the database holds them, newest first: what a full walk must give. */
async function storedNewestFirst(customerId: string): Promise<string[]> {
  const rows = await fixture.db.query<{ id: string }>(
    'SELECT "id" FROM "Order" WHERE "customerId" = $1 ORDER BY "createdAt" DESC, "id" DESC',
    [customerId],
  );
  return rows.map((row) => row.id);
}

async function ordersPage(customerId: string, variables: OrdersQueryVariables) {
  const token = await fixture.server.tokenFor(customerId);
  return postOperation(fixture.server.url, OrdersDocument, variables, { token });
}

describe('orders, a page at a time', () => {
  it('a customer with 150 orders reads every one once, newest first, while orders are placed between pages; nobody else’s shows', async () => {
    await Promise.all([placeOrders('pia', 150), placeOrders('quinn', 30)]);
    // Ten orders placed in the same millisecond, across the boundary of the first two pages: the
    // id orders them, and none is lost or repeated at the boundary.
    const byAge = await storedNewestFirst('pia');
    await fixture.db.query(
      `UPDATE "Order" SET "createdAt" = (SELECT "createdAt" FROM "Order" WHERE "id" = $1) WHERE "id" = ANY($2::uuid[])`,
      [byAge[35], byAge.slice(35, 45)],
    );
    const before = await storedNewestFirst('pia');
    expect(before).toHaveLength(150);

    const walked: string[] = [];
    const sizes: number[] = [];
    let after: string | null = null;
    for (;;) {
      const response = await ordersPage('pia', { first: 40, after });
      expect(response.body.errors).toBeUndefined();
      const page = response.body.data!.orders;
      expect(page.every((order) => order.customerId === 'pia')).toBe(true);
      walked.push(...page.map((order) => order.id));
      sizes.push(page.length);
      if (page.length < 40) break;
      after = page[page.length - 1].id;
      await Promise.all([placeOrders('pia', 2), placeOrders('quinn', 1)]);
    }

    expect(sizes).toEqual([40, 40, 40, 30]);
    expect(walked).toEqual(before);
    // The orders placed during the walk come first in a new one.
    const now = await storedNewestFirst('pia');
    expect(now).toHaveLength(156);
    const fresh = await ordersPage('pia', { first: 6 });
    expect(fresh.body.data!.orders.map((order) => order.id)).toEqual(now.slice(0, 6));
    expect(now.slice(6)).toEqual(before);
    // Without arguments, as before: the newest 20.
    const plain = await ordersPage('pia', {});
    expect(plain.body.data!.orders.map((order) => order.id)).toEqual(now.slice(0, 20));
  });

  it('refuses first below 0, and an after that is not one of the caller’s orders, with BAD_USER_INPUT', async () => {
    const [own] = await placeOrders('rosa', 1);
    const [others] = await placeOrders('sami', 1);

    // Above 100 is cut to 100, as before paging: the contract's clients were given that.
    for (const first of [100, 101, 2_000_000]) {
      const largest = await ordersPage('rosa', { first });
      expect(largest.body.data!.orders.map((order) => order.id)).toEqual([own]);
    }
    const refused = await ordersPage('rosa', { first: -1 });
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors?.[0]).toMatchObject({
      message: '`first` must be zero or more.',
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
    });

    const fromOwn = await ordersPage('rosa', { after: own });
    expect(fromOwn.body).toEqual({ data: { orders: [] } });
    // Another customer's order is refused as an unknown one is: the answer says nothing of it.
    for (const after of [others, randomUUID(), 'not-an-order', '']) {
      const refused = await ordersPage('rosa', { after });
      expect(refused.body.data).toBeNull();
      expect(refused.body.errors?.[0]).toMatchObject({
        message: "`after` must be the id of one of the caller's orders.",
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    }
  });
});
