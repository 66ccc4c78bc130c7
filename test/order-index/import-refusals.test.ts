import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedProducts } from '../support/catalog';
import { lastJson, runBuiltCli } from '../support/cli';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * `npm run orders:import` against PostgreSQL, on lines that are not a re-import yet cannot be
 * written as they are (found from outside): a new order under an idempotency key the customer
 * already used was counted `alreadyImported` and dropped, exit 0; a line in another currency than
 * its product's was priced with the product's price (EUR cents written as USD).

 */
let db: TestDatabase;
let dir: string;

const LIVE_KEY = 'checkout-2026-0001';
const record = (externalId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    externalId,
    channel: 'WEB',
    customerId: 'alice',
    createdAt: '2026-11-30T09:15:00Z',
    currency: 'EUR',
    items: [{ sku: 'TEA-1', quantity: 3 }],
    ...extra,
  });

const LINES = [
  record('r-1', { idempotencyKey: LIVE_KEY }), // 1: the key of alice's live order
  record('r-2'), // 2: imported
  record('r-5', { currency: 'USD' }), // 3: TEA-1 is sold in EUR, and the line gives no price
  record('r-6', { currency: 'USD', items: [{ sku: 'TEA-1', quantity: 3, unitPriceCents: 500 }] }), // 4: priced by the line
  record('r-7', { idempotencyKey: 'k-twice' }), // 5: imported
  record('r-8', { idempotencyKey: 'k-twice' }), // 6: the key of line 5, another order
];

const importFile = () =>
  runBuiltCli('src/order-index/orders-import-cli.js', [path.join(dir, 'history.jsonl')], { databaseUrl: db.url });

const orders = () =>
  db.query<{ externalId: string | null; currency: string; totalCents: number }>(
    'SELECT "externalId", "currency", "totalCents" FROM "Order" ORDER BY "externalId" NULLS FIRST',
  );

beforeAll(async () => {
  db = await createTestDatabase('import_refusals');
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-import-refusals-'));
  await seedProducts(db.url, [{ sku: 'TEA-1', priceCents: 450, currency: 'EUR', stock: 100 }]);
  // Alice's order placed through createOrder (set up directly: the import is under test).
  await db.query(
    `INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "channel", "currency", "totalCents", "updatedAt")
     VALUES (gen_random_uuid(), 'alice', $1, repeat('0', 64), 'WEB', 'EUR', 900, now())`,
    [LIVE_KEY],
  );
  await writeFile(path.join(dir, 'history.jsonl'), `${LINES.join('\n')}\n`);
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('orders:import, lines that collide or cannot be priced', () => {
  it('rejects a new order under a key the customer already used, naming the line; exit 1', async () => {
    const run = await importFile();
    expect(run.code).toBe(1);
    expect(lastJson(run.stdout)).toEqual({ lines: 6, imported: 3, alreadyImported: 0, rejected: 3 });
    expect(run.stderr).toContain(
      `line 1: idempotencyKey: customer alice already has another order under ${LIVE_KEY} (keys are unique per customer; this line is WEB r-1)`,
    );
    expect(run.stderr).toContain('line 6: idempotencyKey: customer alice already has another order under k-twice');
    expect((await orders()).map((order) => order.externalId)).toEqual([null, 'r-2', 'r-6', 'r-7']);
  });

  it('rejects a line in another currency than its product without its own prices, naming the SKU; one that gives them is imported at them', async () => {
    const run = await importFile();
    expect(run.stderr).toContain(
      "line 3: currency: TEA-1 is sold in EUR, not USD (give the line's unitPriceCents to import it in USD)",
    );
    expect((await orders()).find((order) => order.externalId === 'r-6')).toEqual({
      externalId: 'r-6',
      currency: 'USD',
      totalCents: 1500,
    });
  });

  it('again, counts only the true re-imports as alreadyImported and still rejects the others', async () => {
    const run = await importFile();
    expect(run.code).toBe(1);
    expect(lastJson(run.stdout)).toEqual({ lines: 6, imported: 0, alreadyImported: 3, rejected: 3 });
    expect(run.stderr.match(/^line \d+/gm)).toEqual(['line 1', 'line 3', 'line 6']);
    expect(await orders()).toHaveLength(4);
  });
});
