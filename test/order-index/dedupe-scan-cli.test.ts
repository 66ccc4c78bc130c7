import { access, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { seedProducts } from '../support/catalog';
import { lastJson, runBuiltCli, STACK_TRACE } from '../support/cli';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * `npm run dedupe -- scan` as an operator runs it, against PostgreSQL: what it does with option
 * values and report paths it cannot use (found from outside: a window it could not read was
 * replaced by the 10-minute default without a word).
 */
let db: TestDatabase;
let dir: string;

const scan = (...args: string[]) =>
  runBuiltCli('src/order-index/dedupe-cli.js', ['scan', ...args], { databaseUrl: db.url });

/** One history line of customer `bob`, `minute` minutes past nine; the same cart and address each time. */
const historyLine = (externalId: string, minute: number) =>
  JSON.stringify({
    externalId,
    channel: 'WEB',
    customerId: 'bob',
    createdAt: `2026-11-30T09:${String(minute).padStart(2, '0')}:00Z`,
    currency: 'EUR',
    items: [{ sku: 'TEA-1', quantity: 1 }],
    shippingAddress: { name: 'Bob Stone', line1: '3 Mill Lane', city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' },
  });

beforeAll(async () => {
  db = await createTestDatabase('dedupe_scan_cli');
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-dedupe-scan-'));
  await seedProducts(db.url, [{ sku: 'TEA-1', priceCents: 450, stock: 100 }]);
  // Twenty minutes apart: one group under a window of an hour, none under the 10-minute default.
  await writeFile(path.join(dir, 'history.jsonl'), `${historyLine('b-1', 0)}\n${historyLine('b-2', 20)}\n`);
  const imported = await runBuiltCli('src/order-index/orders-import-cli.js', [path.join(dir, 'history.jsonl')], {
    databaseUrl: db.url,
  });
  expect(lastJson(imported.stdout)).toMatchObject({ imported: 2 });
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dedupe scan --window-ms', () => {
  it('scans with the window it is given', async () => {
    const report = path.join(dir, 'hour.json');
    const defaultWindow = await scan('--report', path.join(dir, 'default.json'));
    const hour = await scan('--report', report, '--window-ms', '3600000');
    expect([defaultWindow.code, lastJson(defaultWindow.stdout)]).toEqual([0, expect.objectContaining({ groups: 0 })]);
    expect([hour.code, lastJson(hour.stdout)]).toEqual([0, expect.objectContaining({ groups: 1 })]);
  });

  it.each(['1h', '3600000ms', '3,600,000', 'sixty', '0', '-5', '1.5', ''])(
    'refuses %j in one line naming the option, exit 2, and writes no report',
    async (value) => {
      const report = path.join(dir, `refused-${value.replace(/\W/g, '_')}.json`);
      const run = await scan('--report', report, `--window-ms=${value}`);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(
        `--window-ms: not a whole number of at least 1 (digits only, no unit or separator): ${value}\n`,
      );
      await expect(access(report)).rejects.toThrow(/ENOENT/);
    },
  );

  it('refuses a --since it cannot read the same way, before connecting', async () => {
    const run = await runBuiltCli('src/order-index/dedupe-cli.js', ['scan', '--since', 'garbage']);
    expect([run.code, run.stderr]).toEqual([2, '--since: not an ISO date: garbage\n']);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('dedupe scan --report to a path it cannot write', () => {
  it('says so in one line naming the path and why, exit 1, no stack trace', async () => {
    const run = await scan('--report', '/nonexistdir/x.json');
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: '--report /nonexistdir/x.json: cannot write the report: its directory does not exist\n',
    });
  });

  it('refuses a directory the same way and leaves nothing half-written beside it', async () => {
    const folder = path.join(dir, 'a-folder');
    await mkdir(folder);
    const before = await readdir(dir);
    const run = await scan('--report', folder);
    expect([run.code, run.stderr]).toEqual([1, `--report ${folder}: cannot write the report: it is a directory\n`]);
    expect(await readdir(dir)).toEqual(before);
  });

  it('writes a report it can, and no temporary file stays beside it', async () => {
    const run = await scan('--report', path.join(dir, 'whole.json'));
    expect(run.code).toBe(0);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});
