import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBuiltCli, STACK_TRACE } from '../support/cli';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * `npm run dedupe -- merge --report FILE` on a file that is not a scan report: checked against the
 * report's schema before anything runs (found from outside: `{"x":1}` gave `groups is not iterable`).
 */
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('dedupe_merge_report');
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-merge-report-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dedupe merge --report with a file that is not a report', () => {
  it.each([
    ['{"x":1}', "report: must have required property 'generatedAt'"],
    ['{"generatedAt":"2026-11-30T09:00:00Z","ordersScanned":2,"groups":{}}', 'groups: must be array'],
    ['{"generatedAt":"2026-11-30T09:00:00Z","ordersScanned":2,"groups":[', 'not JSON'],
  ])('%s: one line saying what is wrong, nothing merged, no stack trace', async (text, problem) => {
    const file = path.join(dir, 'not-a-report.json');
    await writeFile(file, text);
    const run = await runBuiltCli('src/order-index/dedupe-cli.js', ['merge', '--report', file, '--apply'], {
      databaseUrl: db.url,
    });
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `--report ${file}: not a dedupe scan report: ${problem}\n`,
    });
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
