import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cartSignature } from '../../src/dedupe/cart-signature';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { PROJECT_ROOT } from '../support/server';

const MIGRATIONS = path.join(PROJECT_ROOT, 'prisma', 'migrations');

/** The backfill statement of the migration that added the column, as it will run on existing databases. */
function backfillStatement(): string {
  const folder = readdirSync(MIGRATIONS).find((name) => name.endsWith('_order_cart_signature'))!;
  const sql = readFileSync(path.join(MIGRATIONS, folder, 'migration.sql'), 'utf8');
  return sql.slice(sql.indexOf('UPDATE "Order"'));
}

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('cart_signature');
  await seedProducts(
    db.url,
    ['TEA-1', 'CUP-9', 'ÄPFEL-3', 'A"B\\C'].map((sku) => ({ sku, priceCents: 100, stock: 100 })),
  );
});

afterAll(async () => {
  await db?.drop();
});

describe('the cart-signature backfill of stored orders', () => {
  it('computes in SQL the same signature as the live path computes in TypeScript', async () => {
    const carts = [
      {
        currency: 'EUR',
        lines: [
          { sku: 'TEA-1', quantity: 2 },
          { sku: 'CUP-9', quantity: 1 },
        ],
      },
      { currency: 'GBP', lines: [{ sku: 'ÄPFEL-3', quantity: 12 }] },
      {
        currency: 'EUR',
        lines: [
          { sku: 'A"B\\C', quantity: 1 },
          { sku: 'TEA-1', quantity: 3 },
        ],
      },
    ];
    for (const [index, cart] of carts.entries()) {
      const [order] = await db.query<{ id: string }>(
        `INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "currency", "totalCents", "updatedAt")
         VALUES (gen_random_uuid(), 'c', $1, repeat('0', 64), $2, 0, now()) RETURNING "id"`,
        [`key-${index}`, cart.currency],
      );
      for (const line of cart.lines) {
        await db.query(
          `INSERT INTO "OrderItem" ("id", "orderId", "sku", "productId", "quantity", "unitPriceCents")
           SELECT gen_random_uuid(), $1, p."sku", p."id", $2, 100 FROM "Product" p WHERE p."sku" = $3`,
          [order.id, line.quantity, line.sku],
        );
      }
    }
    await db.query(backfillStatement());
    const rows = await db.query<{ idempotencyKey: string; cartSignature: string }>(
      'SELECT "idempotencyKey", "cartSignature" FROM "Order" ORDER BY "idempotencyKey"',
    );
    expect(rows.map((row) => row.cartSignature)).toEqual(carts.map((cart) => cartSignature(cart)));
  });
});
