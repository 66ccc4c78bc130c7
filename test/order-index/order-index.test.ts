import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { seedProducts } from '../support/catalog';
import { PROJECT_ROOT } from '../support/server';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { replayGroups } from '../fixtures/evaluate-matcher';
import { generateOrderStream, importLine } from '../fixtures/order-stream';
import type { LabelledOrder } from '../fixtures/order-stream';
import type { DedupeReport } from '../../src/order-index/report-file';

const COPIED_REPORT_SCHEMA = path.join(PROJECT_ROOT, 'src/order-index/contract/dedupe-report.schema.json');

let db: TestDatabase;
const prefix = uniqueRedisPrefix('order-index');
let dir: string;
let stream: LabelledOrder[];
/** What the matcher groups in the stream, replayed in memory: `duplicate<survivor` by externalId. */
let expectedPairs: string[];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a built CLI (npm test builds first) against the test database. */
function runCli(script: string, args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'dist/src/order-index', script), ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_KEY_PREFIX: prefix,
          LOG_LEVEL: 'silent',
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lastJson = <T>(text: string): T => JSON.parse(text.trim().split('\n').pop()!) as T;

async function stockTotal(): Promise<number> {
  const [row] = await db.query<{ total: number }>('SELECT sum("stock")::int AS total FROM "Product"');
  return row.total;
}

async function statusCounts(): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    'SELECT "status"::text, count(*)::int AS n FROM "Order" GROUP BY 1',
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

beforeAll(async () => {
  db = await createTestDatabase('order_index');
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-order-index-'));
  await seedProducts(
    db.url,
    Array.from({ length: 300 }, (_, index) => ({
      sku: `SKU-${String(index + 1).padStart(4, '0')}`,
      priceCents: 100 + index,
      stock: 1_000,
    })),
  );
  stream = generateOrderStream({ seed: 42, size: 1_500 });
  expectedPairs = [...replayGroups(stream)].map(([duplicate, survivor]) => `${duplicate}<${survivor}`).sort();
  const lines = stream.map(importLine);
  // Bad lines among the good ones, at known line numbers (1-based): 3, 6, 9 and 12.
  lines.splice(2, 0, '{"externalId": "broken"');
  lines.splice(5, 0, JSON.stringify({ ...stream[0].record, externalId: 'no-customer', customerId: undefined }));
  lines.splice(
    8,
    0,
    JSON.stringify({ ...stream[0].record, externalId: 'bad-qty', items: [{ sku: 'SKU-0001', quantity: 0 }] }),
  );
  lines.splice(
    11,
    0,
    JSON.stringify({ ...stream[0].record, externalId: 'unknown-sku', items: [{ sku: 'NOPE-1', quantity: 1 }] }),
  );
  await writeFile(path.join(dir, 'orders.jsonl'), `${lines.join('\n')}\n`);
});

afterAll(async () => {
  // The merge rewrites the claims of the orders it cancels: under this suite's prefix, deleted here.
  await deleteRedisPrefix(prefix);
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run orders:import', () => {
  it('imports the good lines, reports each bad one with its line number, and exits 1', async () => {
    const run = await runCli('orders-import-cli.js', [path.join(dir, 'orders.jsonl')]);
    expect(run.code).toBe(1);
    expect(lastJson(run.stdout)).toEqual({
      lines: stream.length + 4,
      imported: stream.length,
      alreadyImported: 0,
      rejected: 4,
    });
    expect(run.stderr).toContain('line 3: not valid JSON');
    expect(run.stderr).toContain("line 6: record: must have required property 'customerId'");
    expect(run.stderr).toContain('line 9: items[0].quantity: must be >= 1');
    expect(run.stderr).toContain('line 12: items: unknown SKU NOPE-1');
    expect(await statusCounts()).toEqual({ CONFIRMED: stream.length });
    const [imported] = await db.query<{ createdAt: Date; externalId: string }>(
      'SELECT "createdAt", "externalId" FROM "Order" WHERE "externalId" = $1',
      [stream[0].record.externalId],
    );
    expect(imported.createdAt.toISOString()).toBe(stream[0].record.createdAt);
  });

  it('imports history without a postcode (the live input requires one), stored as an empty postcode', async () => {
    const withoutPostcode = stream
      .filter((order) => order.record.shippingAddress?.postalCode === '')
      .map((order) => order.record.externalId);
    expect(withoutPostcode.length).toBeGreaterThan(0);
    const rows = await db.query<{ postalCode: string }>(
      `SELECT "shippingAddress"->>'postalCode' AS "postalCode" FROM "Order" WHERE "externalId" = ANY($1)`,
      [withoutPostcode],
    );
    expect(rows.map((row) => row.postalCode)).toEqual(withoutPostcode.map(() => ''));
  });

  it('refuses a file that does not exist in one line, exit 2', async () => {
    const run = await runCli('orders-import-cli.js', [path.join(dir, 'no-such-file.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no-such-file.jsonl: cannot read the file: no such file');
    expect(run.stderr).not.toMatch(/Unhandled|\n\s+at /);
  });

  it('imports nothing new from the same file a second time', async () => {
    const run = await runCli('orders-import-cli.js', [path.join(dir, 'orders.jsonl')]);
    expect(lastJson(run.stdout)).toEqual({
      lines: stream.length + 4,
      imported: 0,
      alreadyImported: stream.length,
      rejected: 4,
    });
    expect(await statusCounts()).toEqual({ CONFIRMED: stream.length });
  });
});

describe('npm run dedupe', () => {
  const reportPath = () => path.join(dir, 'report.json');

  it('scan writes a schema-valid report whose groups are exactly what the matcher groups in memory, nearly all labelled duplicates', async () => {
    const run = await runCli('dedupe-cli.js', ['scan', '--report', reportPath()]);
    expect(run.code).toBe(0);
    const report = JSON.parse(await readFile(reportPath(), 'utf8')) as DedupeReport;

    const schema = JSON.parse(readFileSync(COPIED_REPORT_SCHEMA, 'utf8')) as object;
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(report) ? [] : validate.errors).toEqual([]);

    expect(report.ordersScanned).toBe(stream.length);
    const found = report.groups
      .flatMap((group) => group.duplicates.map((duplicate) => `${duplicate.externalId}<${group.survivor.externalId}`))
      .sort();
    expect(found).toEqual(expectedPairs);
    // The stored path loses nothing the matcher sees; accuracy itself is measured in test/dedupe/matcher-accuracy.test.ts.
    expect(stream.filter((order) => order.duplicateOf).length).toBeGreaterThan(100);
  });

  it('merge without --apply changes nothing', async () => {
    const before = { stock: await stockTotal(), statuses: await statusCounts() };
    const run = await runCli('dedupe-cli.js', ['merge', '--report', reportPath()]);
    expect(lastJson(run.stdout)).toMatchObject({ cancelled: expectedPairs.length, skipped: 0, applied: false });
    expect({ stock: await stockTotal(), statuses: await statusCounts() }).toEqual(before);
  });

  it('merge --apply cancels the duplicates, points them at the survivor and audits it, and gives back no stock for imported history (it took none); again, it changes nothing', async () => {
    const stockBefore = await stockTotal();
    const run = await runCli('dedupe-cli.js', ['merge', '--report', reportPath(), '--apply']);
    const summary = lastJson<{ cancelled: number; unitsReturned: number }>(run.stdout);
    const grouped = new Set(expectedPairs.map((pair) => pair.split('<')[0]));
    const duplicates = stream.filter((order) => grouped.has(order.record.externalId));
    expect(summary).toMatchObject({ cancelled: duplicates.length, unitsReturned: 0, applied: true });
    expect(await stockTotal()).toBe(stockBefore);
    expect(await statusCounts()).toEqual({
      CONFIRMED: stream.length - duplicates.length,
      CANCELLED: duplicates.length,
    });
    const pointers = await db.query<{ duplicate: string; survivor: string }>(
      `SELECT d."externalId" AS duplicate, s."externalId" AS survivor FROM "Order" d JOIN "Order" s ON s."id" = d."mergedIntoId"`,
    );
    expect(pointers.map((row) => `${row.duplicate}<${row.survivor}`).sort()).toEqual(expectedPairs);
    const [audit] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "IdempotencyAuditEvent" WHERE "outcome" = 'merged'`,
    );
    expect(audit.n).toBe(duplicates.length);

    const again = await runCli('dedupe-cli.js', ['merge', '--report', reportPath(), '--apply']);
    expect(lastJson(again.stdout)).toMatchObject({ cancelled: 0, unitsReturned: 0, skipped: duplicates.length });
    expect(await stockTotal()).toBe(stockBefore);
    const rescan = await runCli('dedupe-cli.js', ['scan', '--report', path.join(dir, 'rescan.json')]);
    expect(lastJson(rescan.stdout)).toMatchObject({ groups: 0, ordersScanned: stream.length - duplicates.length });
  });
});
