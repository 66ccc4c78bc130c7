import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Answer } from './load/drivers';

/** What the minimal transaction answered: an order, or too little stock (nothing written). */
export type MinimalOutcome = { kind: 'created'; orderId: string } | { kind: 'insufficient-stock' };

/**
 * The least any server could do for one order of one SKU, straight through `pg`: insert the order,
 * lock and decrement the stock, insert the item, set the total, commit (one round trip each). No
 * claim, no duplicate lookup, no audit, no GraphQL. The floor of the hot-row scenarios
 * (`raw-hot`, and the flash sale's): what the hot row's lock allows at best.
 */
export async function placeMinimalOrder(
  pool: pg.Pool,
  customerId: string,
  key: string,
  line: { sku: string; quantity: number },
): Promise<MinimalOutcome> {
  const client = await pool.connect();
  const orderId = randomUUID();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "status", "channel", "currency", "totalCents", "source", "updatedAt")
       VALUES ($1, $2, $3, $4, 'CONFIRMED', 'WEB', 'EUR', 0, '', now())`,
      [orderId, customerId, key, '0'.repeat(64)],
    );
    const reserved = await client.query<{ id: string; priceCents: number }>(
      `UPDATE "Product" SET "stock" = "stock" - $2, "updatedAt" = now() WHERE "sku" = $1 AND "stock" >= $2
       RETURNING "id", "priceCents"`,
      [line.sku, line.quantity],
    );
    const product = reserved.rows[0];
    if (!product) {
      await client.query('ROLLBACK');
      return { kind: 'insufficient-stock' };
    }
    await client.query(
      `INSERT INTO "OrderItem" ("id", "orderId", "sku", "productId", "quantity", "unitPriceCents")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)`,
      [orderId, line.sku, product.id, line.quantity, product.priceCents],
    );
    await client.query(`UPDATE "Order" SET "totalCents" = $2 WHERE "id" = $1`, [
      orderId,
      product.priceCents * line.quantity,
    ]);
    await client.query('COMMIT');
    return { kind: 'created', orderId };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The minimal transaction as a load-generator answer: `sql` when it created, `InsufficientStock` when not. */
export async function minimalAnswer(
  pool: pg.Pool,
  customerId: string,
  key: string,
  line: { sku: string; quantity: number },
): Promise<Answer> {
  const outcome = await placeMinimalOrder(pool, customerId, key, line);
  return outcome.kind === 'created' ? { outcome: 'sql', ok: true } : { outcome: 'InsufficientStock', ok: false };
}
