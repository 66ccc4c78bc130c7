import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBuiltCli, STACK_TRACE } from '../support/cli';

/**
 * `npm run orders:import` and `npm run dedupe` without DATABASE_URL and REDIS_URL, while a running
 * `npm start` holds the embedded database: they said the server's "Cannot start: … give this one
 * another folder (EMBEDDED_DATA_DIR)", wrong for a tool, which starts nothing and would read (or
 * write) another, empty database there.
 */
let dir: string;
let dataDir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-embedded-in-use-'));
  dataDir = path.join(dir, 'pglite');
  // The lock a running server holds: a live process's pid (this test's).
  await writeFile(`${dataDir}.lock`, String(process.pid));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const inUse = (command: string) =>
  `the embedded database in ${dataDir} is in use by process ${process.pid} (a running \`npm start\`?): ` +
  `stop it first, then run \`${command}\` again; or set DATABASE_URL and REDIS_URL (the servers mode)\n`;

describe('an offline command while the embedded database is in use', () => {
  it.each([
    ['npm run orders:import', 'src/order-index/orders-import-cli.js', ['orders.jsonl']],
    ['npm run dedupe', 'src/order-index/dedupe-cli.js', ['scan']],
  ])('%s says to stop the server first, exit 2', async (command, script, args) => {
    const env = { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: dataDir };
    const run = await runBuiltCli(script, args, { env });
    expect([run.code, run.stderr]).toEqual([2, inUse(command)]);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
