import { Client } from 'pg';
import type { TestDatabase } from './database';

export interface SeedProduct {
  sku: string;
  priceCents: number;
  currency?: string;
  stock: number;
}

/** Puts products straight into a test database (setup, not the behaviour under test). */
export async function seedProducts(databaseUrl: string, products: SeedProduct[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const product of products) {
      await client.query(
        `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
         VALUES (gen_random_uuid(), $1, $1, $2, $3, $4, now())
         ON CONFLICT ("sku") DO UPDATE SET "priceCents" = $2, "currency" = $3, "stock" = $4`,
        [product.sku, product.priceCents, product.currency ?? 'EUR', product.stock],
      );
    }
  } finally {
    await client.end();
  }
}

/** A product's stock as the database holds it. */
export async function stockOf(db: Pick<TestDatabase, 'query'>, sku: string): Promise<number> {
  const [row] = await db.query<{ stock: number }>('SELECT "stock" FROM "Product" WHERE "sku" = $1', [sku]);
  return row.stock;
}

/** The orders stored under an idempotency key (any customer). */
export async function ordersWithKey(db: Pick<TestDatabase, 'query'>, key: string): Promise<{ id: string }[]> {
  return db.query<{ id: string }>('SELECT "id" FROM "Order" WHERE "idempotencyKey" = $1', [key]);
}
