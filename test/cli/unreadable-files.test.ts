import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBuiltCli, STACK_TRACE } from '../support/cli';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * A file named on the command line that cannot be read, said in words by every tool that reads one
 * (found from outside: `orders:import nosuch.jsonl` printed Node's `ENOENT: no such file or
 * directory, stat 'nosuch.jsonl'`, `dedupe merge --report nosuch.json` said "its directory does not
 * exist" of the current folder, and `channels:pos` gave `EISDIR: illegal operation on a directory`;
 * `risk:evaluate --model nosuch.json` said "risk:evaluate failed: nosuch.json: no such file", exit 1,
 * where docs/risk.md promises the option named and exit 2, as risk:bench answers).
 */
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('unreadable_files');
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-unreadable-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** [tool, built script, its arguments for the file, how its refusal names the file]. */
const TOOLS: [string, string, (file: string) => string[], (file: string) => string][] = [
  [
    'orders:import',
    'src/order-index/orders-import-cli.js',
    (file) => [file],
    (file) => `${file}: cannot read the file`,
  ],
  [
    'dedupe merge',
    'src/order-index/dedupe-cli.js',
    (file) => ['merge', '--report', file],
    (file) => `--report ${file}: cannot read the report`,
  ],
  [
    'risk:evaluate',
    'scripts/risk-evaluate.js',
    (file) => ['--model', file],
    (file) => `--model ${file}: cannot read the model`,
  ],
  [
    'risk:bench',
    'scripts/risk-bench.js',
    (file) => ['--model', file],
    (file) => `--model ${file}: cannot read the model`,
  ],
  [
    'channels:pos',
    'src/channels/pos-cli.js',
    (file) => [file, '--token', 'any', '--url', 'http://127.0.0.1:9'],
    (file) => `${file}: cannot read the file`,
  ],
];

describe.each(TOOLS)('npm run %s with a file it cannot read', (_name, script, args, refusal) => {
  it.each([
    ['missing', 'nosuch.file', 'no such file'],
    ['a directory', '.', 'it is a directory'],
  ])('%s: one line naming the file and why, exit 2, no stack trace', async (_case, name, why) => {
    const file = path.join(dir, name);
    const run = await runBuiltCli(script, args(file), { databaseUrl: db.url });
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `${refusal(file)}: ${why}\n`,
    });
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe.each([
  ['risk:evaluate', 'scripts/risk-evaluate.js'],
  ['risk:bench', 'scripts/risk-bench.js'],
])('npm run %s with a --model that is no model', (_name, script) => {
  it.each([
    ['JSON of another shape', '{}', 'format is undefined, expected order-gate/duplicate-risk-model'],
    ['not JSON', 'weights: 1', 'not JSON'],
  ])('%s: one line naming the option and why, exit 2, before anything runs', async (_case, content, why) => {
    const file = path.join(dir, `model-${script.replace(/\W/g, '-')}-${content.length}.json`);
    await writeFile(file, content);
    const run = await runBuiltCli(script, ['--model', file]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `--model ${file}: not a duplicate-risk model: ${why}\n`,
    });
  });
});
