import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Answer, Sender } from './load/drivers';
import { linesFor, newIntent } from './scenarios';
import type { BenchFixtures } from './scenarios';

interface ProductRow {
  id: string;
  sku: string;
  priceCents: number;
}

/**
 * The floor of `create`: the statements of writeOrder (src/orders/order-placement.service.ts), in
 * one transaction, straight through `pg` with no claim, no GraphQL and no Prisma. Kept in step
 * with writeOrder by hand: if that transaction changes, change this one.
 */
async function placeRawOrder(client: pg.PoolClient, customerId: string, key: string, lines: { sku: string; quantity: number }[]): Promise<Answer> {
  const orderId = randomUUID();
  await client.query('BEGIN');
  try {
    const inserted = await client.query(
      `INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "status", "channel", "currency", "totalCents", "updatedAt")
       VALUES ($1::uuid, $2, $3, $4, 'CONFIRMED', $5::"SalesChannel", $6, 0, now())
       ON CONFLICT ("customerId", "idempotencyKey") DO NOTHING
       RETURNING "createdAt"`,
      [orderId, customerId, key, randomBytes(32).toString('hex'), 'WEB', 'EUR'],
    );
    if (inserted.rowCount !== 1) throw new Error('raw-sql keys are unique: the insert must not conflict');
    const products = await client.query<ProductRow>(
      `SELECT "id", "sku", "priceCents", "currency", "stock" FROM "Product"
       WHERE "sku" = ANY($1::text[]) ORDER BY "sku" FOR UPDATE`,
      [lines.map((line) => line.sku)],
    );
    const bySku = new Map(products.rows.map((product) => [product.sku, product]));
    const items = lines.map((line) => ({ ...line, product: bySku.get(line.sku)! }));
    await client.query(
      `UPDATE "Product" AS p SET "stock" = p."stock" - v.quantity, "updatedAt" = now()
       FROM unnest($1::uuid[], $2::int[]) AS v(id, quantity)
       WHERE p."id" = v.id AND p."stock" >= v.quantity`,
      [items.map((item) => item.product.id), items.map((item) => item.quantity)],
    );
    // What Prisma's createMany sends: one multi-row INSERT with client-side ids.
    const values = items.map((_, index) => `($${index * 6 + 1}::uuid, $${index * 6 + 2}::uuid, $${index * 6 + 3}, $${index * 6 + 4}::uuid, $${index * 6 + 5}, $${index * 6 + 6})`);
    await client.query(
      `INSERT INTO "OrderItem" ("id", "orderId", "sku", "productId", "quantity", "unitPriceCents") VALUES ${values.join(', ')}`,
      items.flatMap((item) => [randomUUID(), orderId, item.sku, item.product.id, item.quantity, item.product.priceCents]),
    );
    const total = items.reduce((sum, item) => sum + item.quantity * item.product.priceCents, 0);
    await client.query('UPDATE "Order" SET "totalCents" = $1 WHERE "id" = $2::uuid', [total, orderId]);
    await client.query('COMMIT');
    return { outcome: 'sql', ok: true };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** raw-sql load: a pg pool as large as the server's, shared by every worker, as the server's is. */
export class RawSqlLoad {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, poolSize: number, private readonly fixtures: BenchFixtures) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  }

  /** The sender of worker `worker`; keys carry `pointId` so that every point writes new orders. */
  sender(worker: number, pointId: string): Sender {
    return async (sequence) => {
      const client = await this.pool.connect();
      try {
        const customer = `bench-customer-${worker % this.fixtures.tokens.length}`;
        return await placeRawOrder(client, customer, `${this.fixtures.runId}-${pointId}-${worker}-${sequence}`, linesFor(this.fixtures, newIntent()));
      } finally {
        client.release();
      }
    };
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
