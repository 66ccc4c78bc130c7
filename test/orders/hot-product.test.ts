import { seedProducts } from '../support/catalog';
import { expectOneWholeOrderPerIntent } from '../support/order-audit';
import { makeIntents, runStorm } from '../support/storm';
import { withTestServer } from '../support/test-server-fixture';

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
});
