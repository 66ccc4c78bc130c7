import { seedProducts } from '../support/catalog';
import { holdTransaction } from '../support/database-faults';
import { waitForLockWait } from '../support/locks';
import { createOrder, newKey, outcomeOf } from '../support/order-client';
import { expectOneWholeOrderPerIntent } from '../support/order-audit';
import { makeIntents, runStorm } from '../support/storm';
import { withTestServer } from '../support/test-server-fixture';
import { adjustInventory, untilAnswered } from './lifecycle/lifecycle-client';

/**
 * The products' rows are locked last in the order transaction (src/orders/order-write.ts): these
 * storms check what must still hold with real concurrency. A flash sale on one SKU sells exactly
 * its stock and tells everyone else InsufficientStock; orders over the same SKUs in every order
 * never deadlock.
 */
const fixture = withTestServer('hot-product');

describe('a hot product (the product rows locked last)', () => {
  it('a storm on one SKU with limited stock sells exactly the stock: one order per winning intent, every loser told InsufficientStock', async () => {
    const stock = 20;
    await seedProducts(fixture.db.url, [{ sku: 'HOT-FLASH', priceCents: 4999, stock }]);
    const intents = await makeIntents(60, [{ sku: 'HOT-FLASH', quantity: 1 }], (customerId) =>
      fixture.server.tokenFor(customerId),
    );
    const storm = await runStorm('flash sale', { targets: () => [fixture.server.url], intents, clientsPerIntent: 3 });

    // Every request was answered by the contract (a deadlock or a failed statement would be retried and counted here).
    expect(storm.failedAttempts).toEqual({});
    const orders = await fixture.db.query<{ customerId: string; idempotencyKey: string; id: string; quantity: number }>(
      `SELECT o."customerId", o."idempotencyKey", o."id", i."quantity"
         FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" WHERE i."sku" = 'HOT-FLASH'`,
    );
    expect(orders).toHaveLength(stock);
    expect(new Set(orders.map((order) => `${order.customerId}/${order.idempotencyKey}`)).size).toBe(stock);
    const [product] = await fixture.db.query<{ stock: number }>(
      `SELECT "stock" FROM "Product" WHERE "sku" = 'HOT-FLASH'`,
    );
    expect(product.stock).toBe(0);
    for (const intent of intents) {
      const own = orders.find((order) => order.customerId === intent.customerId && order.idempotencyKey === intent.key);
      const answers = storm.answers.filter((answer) => answer.intent === intent);
      expect(answers).toHaveLength(3);
      for (const answer of answers) {
        if (own) {
          expect(['OrderCreated', 'DuplicateDetected/CACHE', 'DuplicateDetected/DATABASE']).toContain(answer.outcome);
          expect(answer.orderId).toBe(own.id);
        } else {
          expect(answer.outcome).toBe('InsufficientStock');
        }
      }
    }
  }, 120_000);

  it('orders over the same SKUs, listed in every order, never deadlock and each takes exactly its stock', async () => {
    const skus = ['HOT-A', 'HOT-B', 'HOT-C'];
    await seedProducts(
      fixture.db.url,
      skus.map((sku) => ({ sku, priceCents: 100, stock: 1_000 })),
    );
    const carts = [
      [
        { sku: 'HOT-C', quantity: 1 },
        { sku: 'HOT-A', quantity: 2 },
      ],
      [
        { sku: 'HOT-A', quantity: 1 },
        { sku: 'HOT-B', quantity: 1 },
        { sku: 'HOT-C', quantity: 3 },
      ],
      [
        { sku: 'HOT-B', quantity: 2 },
        { sku: 'HOT-A', quantity: 1 },
      ],
      [
        { sku: 'HOT-C', quantity: 2 },
        { sku: 'HOT-B', quantity: 1 },
      ],
    ];
    // One customer per intent (a customer's repeated cart would be held as a possible duplicate).
    const intents = (await makeIntents(60, [], (customerId) => fixture.server.tokenFor(`${customerId}-carts`))).map(
      (intent, index) => ({
        ...intent,
        customerId: `${intent.customerId}-carts`,
        input: { currency: 'EUR', items: carts[index % carts.length] },
      }),
    );
    const storm = await runStorm('overlapping carts', {
      targets: () => [fixture.server.url],
      intents,
      clientsPerIntent: 2,
    });

    expect(storm.failedAttempts).toEqual({});
    await expectOneWholeOrderPerIntent(fixture.db, storm.answers, Object.fromEntries(skus.map((sku) => [sku, 1_000])));
  }, 120_000);

  it('an order that waited on a sold-out row while a restock committed takes the restocked stock: OrderCreated, the stock taken once', async () => {
    const { server, db } = fixture;
    await seedProducts(db.url, [{ sku: 'HOT-RESTOCK', priceCents: 100, stock: 0 }]);
    // The restock holds the row (an admin's adjustInventory between its UPDATE and its COMMIT).
    const restock = await holdTransaction(db.url, `UPDATE "Product" SET "stock" = 5 WHERE "sku" = 'HOT-RESTOCK'`);
    const key = newKey('restocked');
    const answer = createOrder(server, { customerId: 'rhea' }, key, {
      currency: 'EUR',
      items: [{ sku: 'HOT-RESTOCK', quantity: 1 }],
    });
    await waitForLockWait(db);
    await restock.query('COMMIT');
    await restock.release();

    // Its statement's snapshot saw 0 units; the locked row has 5: the locked row decides.
    expect(outcomeOf(await answer)).toBe('OrderCreated');
    const [product] = await db.query<{ stock: number }>(`SELECT "stock" FROM "Product" WHERE "sku" = 'HOT-RESTOCK'`);
    expect(product.stock).toBe(4);
  });

  it('restocks of a sold-out product racing a storm of orders: no order fails, every unit sold is taken once', async () => {
    const { server, db } = fixture;
    await seedProducts(db.url, [{ sku: 'HOT-REFILL', priceCents: 100, stock: 0 }]);
    const admin = await server.tokenFor('ada', 'admin');
    const intents = await makeIntents(60, [{ sku: 'HOT-REFILL', quantity: 1 }], (customerId) =>
      server.tokenFor(`${customerId}-refill`),
    );
    const refills = Array.from({ length: 20 }, async (_, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 15));
      const key = newKey('refill');
      return untilAnswered(() =>
        adjustInventory(server.url, admin, { sku: 'HOT-REFILL', delta: 2, key, reason: 'in' }),
      );
    });
    const storm = await runStorm('refilled flash sale', {
      targets: () => [server.url],
      intents: intents.map((intent) => ({ ...intent, customerId: `${intent.customerId}-refill` })),
      clientsPerIntent: 2,
      spreadMs: 300,
    });
    expect((await Promise.all(refills)).map((answer) => answer.__typename)).toEqual(
      Array(20).fill('InventoryAdjusted'),
    );

    // A failed attempt would have been retried into a DuplicateDetected of an order that took nothing.
    expect(storm.failedAttempts).toEqual({});
    const [row] = await db.query<{ stock: number; ordered: number; orders: number }>(
      `SELECT p."stock", coalesce(sum(i."quantity"), 0)::int AS ordered, count(i."id")::int AS orders
         FROM "Product" p LEFT JOIN "OrderItem" i ON i."productId" = p."id"
        WHERE p."sku" = 'HOT-REFILL' GROUP BY p."id"`,
    );
    expect(row.stock + row.ordered).toBe(40);
    expect(storm.answers.filter((answer) => answer.outcome === 'OrderCreated')).toHaveLength(row.orders);
  }, 120_000);
});
