import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { seedProducts, stockOf } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { docsExample, readDoc } from '../support/docs';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { PROJECT_ROOT } from '../support/server';

/**
 * The import, scan and merge walk-through of docs/duplicates.md, as the page gives it: its JSON
 * lines written to the file it names, its commands run with bash (each `npm run <script> --` as the
 * built command the script runs after its build), and each command's summary compared with the
 * one its comment shows.
 */
const PAGE = 'docs/duplicates.md';
const BUILT_COMMANDS: Record<string, string> = {
  'npm run orders:import --': 'node dist/src/order-index/orders-import-cli.js',
  'npm run dedupe --': 'node dist/src/order-index/dedupe-cli.js',
};

let db: TestDatabase;
let dir: string;
const prefix = uniqueRedisPrefix('docs-dedupe');

beforeAll(async () => {
  db = await createTestDatabase('docs_dedupe');
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-docs-dedupe-'));
  // What the README's first order leaves in the catalog, as the page assumes.
  await seedProducts(db.url, [{ sku: 'TEA-1', priceCents: 450, stock: 100 }]);
});

afterAll(async () => {
  await deleteRedisPrefix(prefix).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
  await db?.drop();
});

/** Runs one command with bash in the scratch folder against the test database; its last stdout line. */
async function run(command: string): Promise<string> {
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: dir,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  };
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', command], { cwd: dir, env });
  return stdout.trim().split('\n').pop() ?? '';
}

describe(`the import, scan and merge example of ${PAGE}`, () => {
  it('imports its lines, finds their group, dry-runs and merges it, each command printing what its comment shows', async () => {
    const script = await docsExample('import-scan-merge', PAGE);
    const file = /orders:import -- (\S+)/.exec(script)?.[1] ?? '';
    await writeFile(path.join(dir, file), await docsExample('history-jsonl', PAGE));
    const commands = script.split('\n').filter((line) => line.trim().length > 0);
    expect(commands).toHaveLength(4);
    for (const line of commands) {
      const [command, shown] = line.split(/\s+# /);
      expect(Object.keys(BUILT_COMMANDS).some((npm) => command.startsWith(npm))).toBe(true);
      let built = command;
      for (const [npm, node] of Object.entries(BUILT_COMMANDS))
        built = built.replace(npm, node.replace(/^node /, `node ${PROJECT_ROOT}/`));
      expect([command, JSON.parse(await run(built)) as unknown]).toEqual([command, JSON.parse(shown)]);
    }
    const report = JSON.parse(await readFile(path.join(dir, 'dupes.json'), 'utf8')) as {
      groups: { survivor: { externalId: string }; duplicates: { externalId: string }[]; reasons: string[] }[];
    };
    expect(
      report.groups.map((group) => [group.survivor.externalId, group.duplicates.map((d) => d.externalId)]),
    ).toEqual([['shop-1001', ['shop-1002']]]);
    // What the text says of the result: the later order cancelled, pointed at the survivor and
    // audited; the stock risen by the duplicate's units; the reason quoted.
    const page = (await readDoc(PAGE)).replace(/\s+/g, ' ');
    const [reason, risen] = /here `([^`]+)`\).*the stock of `TEA-1` rises by (\d+)/.exec(page)!.slice(1);
    expect(report.groups[0].reasons).toContain(`same shipping address, typed differently: ${reason}`);
    const orders = await db.query<{ externalId: string; status: string; merged: boolean }>(
      `SELECT "externalId", "status"::text, "mergedIntoId" IS NOT NULL AS merged FROM "Order" ORDER BY "externalId"`,
    );
    expect(orders).toEqual([
      { externalId: 'shop-1001', status: 'CONFIRMED', merged: false },
      { externalId: 'shop-1002', status: 'CANCELLED', merged: true },
    ]);
    const audited = await db.query<{ requestId: string }>(
      `SELECT "requestId" FROM "IdempotencyAuditEvent" WHERE "outcome" = 'merged'`,
    );
    expect(audited).toEqual([{ requestId: 'dedupe-merge' }]);
    expect(await stockOf(db, 'TEA-1')).toBe(100 + Number(risen));
  });
});
