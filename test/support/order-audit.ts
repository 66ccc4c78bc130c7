import type { TestDatabase } from './database';
import type { FinalAnswer } from './storm';

/** The final answers a client may end with: the order, as created or as a repeat. */
const SETTLED_OUTCOMES = ['OrderCreated', 'DuplicateDetected/CACHE', 'DuplicateDetected/DATABASE'];

/**
 * Asserts what every storm must leave behind: exactly one order per intent (no duplicate, none
 * missing), every order whole (its items, its total), stock reduced by exactly what the orders
 * hold, and every client answered with that order. Each storm uses fresh keys and its own SKUs.
 */
export async function expectOneWholeOrderPerIntent(
  db: TestDatabase,
  answers: readonly FinalAnswer[],
  initialStock: Record<string, number>,
): Promise<void> {
  const intents = [...new Set(answers.map((answer) => answer.intent))];
  const orders = await db.query<{
    id: string;
    customerId: string;
    idempotencyKey: string;
    totalCents: number;
    items: number;
    itemTotal: number;
  }>(
    `SELECT o."id", o."customerId", o."idempotencyKey", o."totalCents",
            count(i."id")::int AS items, coalesce(sum(i."quantity" * i."unitPriceCents"), 0)::int AS "itemTotal"
       FROM "Order" o LEFT JOIN "OrderItem" i ON i."orderId" = o."id"
      WHERE o."idempotencyKey" = ANY($1)
      GROUP BY o."id"`,
    [intents.map((intent) => intent.key)],
  );
  expect(orders).toHaveLength(intents.length);
  for (const intent of intents) {
    const own = orders.filter((order) => order.customerId === intent.customerId && order.idempotencyKey === intent.key);
    expect(own).toHaveLength(1);
    expect(own[0].items).toBe(intent.input.items.length);
    expect(own[0].totalCents).toBe(own[0].itemTotal);
    const ownAnswers = answers.filter((answer) => answer.intent === intent);
    expect(ownAnswers.filter((answer) => answer.outcome === 'OrderCreated').length).toBeLessThanOrEqual(1);
    for (const answer of ownAnswers) {
      expect(SETTLED_OUTCOMES).toContain(answer.outcome);
      expect(answer.orderId).toBe(own[0].id);
    }
  }
  const stock = await db.query<{ sku: string; stock: number; ordered: number }>(
    `SELECT p."sku", p."stock", coalesce(sum(i."quantity"), 0)::int AS ordered
       FROM "Product" p LEFT JOIN "OrderItem" i ON i."productId" = p."id"
      WHERE p."sku" = ANY($1) GROUP BY p."id"`,
    [Object.keys(initialStock)],
  );
  expect(stock).toHaveLength(Object.keys(initialStock).length);
  for (const row of stock) expect(row.stock).toBe(initialStock[row.sku] - row.ordered);
}
