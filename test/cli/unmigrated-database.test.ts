import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { runBuiltCli, STACK_TRACE } from '../support/cli';
import { ADMIN_DATABASE_URL } from '../support/database';

/**
 * The offline commands on a database that was never migrated (found from outside: a raw Prisma
 * error, `Raw query failed. Code: 42P01`): one line saying the schema is missing and what to run.
 */
const name = `og_test_unmigrated_${process.pid}`;
const url = (() => {
  const parsed = new URL(ADMIN_DATABASE_URL);
  parsed.pathname = `/${name}`;
  return parsed.toString();
})();
let dir: string;

async function onAdmin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

beforeAll(async () => {
  await onAdmin(`CREATE DATABASE "${name}"`);
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-unmigrated-'));
});
afterAll(async () => {
  await onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const NO_SCHEMA = 'the database has no Order Gate schema (its tables are missing): run `npm run migrate` first';

describe('offline commands on an unmigrated database', () => {
  it('dedupe scan says the schema is missing, exit 2', async () => {
    const run = await runBuiltCli('src/order-index/dedupe-cli.js', ['scan', '--report', path.join(dir, 'r.json')], {
      databaseUrl: url,
    });
    expect([run.code, run.stderr]).toEqual([2, `${NO_SCHEMA}\n`]);
  });

  it('orders:import says the same', async () => {
    const file = path.join(dir, 'history.jsonl');
    const line = {
      externalId: 'x-1',
      channel: 'WEB',
      customerId: 'alice',
      createdAt: '2026-11-30T09:15:00Z',
      currency: 'EUR',
      items: [{ sku: 'TEA-1', quantity: 1 }],
    };
    await writeFile(file, `${JSON.stringify(line)}\n`);
    const run = await runBuiltCli('src/order-index/orders-import-cli.js', [file], { databaseUrl: url });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n').pop()).toBe(NO_SCHEMA);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('risk:report says the same', async () => {
    const run = await runBuiltCli('scripts/risk-report.js', ['--database-url', url]);
    expect([run.code, run.stderr]).toEqual([1, `risk:report failed: ${NO_SCHEMA}\n`]);
  });
});
