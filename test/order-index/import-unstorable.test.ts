import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedProducts } from '../support/catalog';
import { STACK_TRACE, lastJson, runBuiltCli } from '../support/cli';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * `npm run orders:import` on lines PostgreSQL cannot store (found from outside, stop 39): each
 * failed its whole batch's statement and the run stopped with a raw Prisma error (exit 2), the
 * good lines not imported. Now each is rejected with its number, and the good ones are imported.
 */
let db: TestDatabase;
let dir: string;

const record = (externalId: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    externalId,
    channel: 'WEB',
    customerId: 'ivo',
    createdAt: '2026-11-30T09:15:00Z',
    currency: 'EUR',
    items: [{ sku: 'TEA-1', quantity: 1 }],
    ...extra,
  });

const LINES = [
  record('g-1'),
  record('b-1', { items: [{ sku: 'TEA-1', quantity: 1, unitPriceCents: 2_147_483_648 }] }),
  record('b-2', { items: [{ sku: 'TEA-1', quantity: 2, unitPriceCents: 2_147_483_647 }] }),
  record('b-3', { createdAt: '0000-01-01T00:00:00Z' }),
  record('b-4', { idempotencyKey: 'k'.repeat(20_000) }),
  record('g-2'),
];

beforeAll(async () => {
  db = await createTestDatabase('import_unstorable');
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-import-unstorable-'));
  await seedProducts(db.url, [{ sku: 'TEA-1', priceCents: 450, currency: 'EUR', stock: 100 }]);
  await writeFile(path.join(dir, 'history.jsonl'), `${LINES.join('\n')}\n`);
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('orders:import, lines PostgreSQL cannot store', () => {
  it('rejects each with its number and why, imports the good lines around them; exit 1', async () => {
    const run = await runBuiltCli('src/order-index/orders-import-cli.js', [path.join(dir, 'history.jsonl')], {
      databaseUrl: db.url,
    });
    expect([run.code, lastJson(run.stdout)]).toEqual([1, { lines: 6, imported: 2, alreadyImported: 0, rejected: 4 }]);
    expect(run.stderr).toContain('line 2: items[0].unitPriceCents: at most 2147483647');
    expect(run.stderr).toContain("line 3: items: the order's total passes 2147483647 cents");
    expect(run.stderr).toContain('line 4: createdAt: must be between years 1 and 9999');
    expect(run.stderr).toContain('line 5: idempotencyKey: at most 255 characters');
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const stored = await db.query<{ externalId: string }>('SELECT "externalId" FROM "Order" ORDER BY "externalId"');
    expect(stored.map((order) => order.externalId)).toEqual(['g-1', 'g-2']);
  });
});
