import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runBuiltCli, STACK_TRACE } from '../support/cli';

/**
 * `node dist/bench/profile-summary.js`, as docs/benchmarks.md and docs/risk.md run it (built: `npm
 * run build` first): profiles it is given are summarised, each of several (the shell's expansion of
 * `DIR/scored/*.cpuprofile`); what it cannot use is one line naming it, exit 2, no stack trace.
 * Found from outside: `--help` was read as a file (Node's ENOENT with its stack), and a second
 * file, or `--top abc`, became a NaN row count that listed nothing, exit 0.
 */
const SCRIPT = 'bench/profile-summary.js';
let dir: string;
let profiles: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-profile-summary-'));
  // Two real V8 profiles, of a loop long enough to be sampled.
  const busy = 'let x = 0; for (let i = 0; i < 2e7; i++) x += i;';
  for (let run = 0; run < 2; run += 1)
    await promisify(execFile)(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '-e', busy]);
  profiles = (await readdir(dir)).map((name) => path.join(dir, name));
  await writeFile(path.join(dir, 'notes.txt'), 'not a profile');
  await writeFile(path.join(dir, 'other.json'), '{"nodes": 1}');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('node dist/bench/profile-summary.js', () => {
  it('summarises every profile it is given, at most --top rows per table', async () => {
    const run = await runBuiltCli(SCRIPT, ['--top', '2', ...profiles]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const headers = run.stdout.split('\n').filter((line) => / ms sampled$/.test(line));
    expect(headers.map((line) => line.split(':')[0])).toEqual(profiles);
    const rows = run.stdout.split('\n').filter((line) => line.includes(' %  '));
    // Two tables (by owner, by function) per profile, each of 1 or 2 rows.
    expect(rows.length).toBeGreaterThanOrEqual(2 * profiles.length);
    expect(rows.length).toBeLessThanOrEqual(2 * 2 * profiles.length);
  });

  it.each([
    ['a file that is not there', () => [path.join(dir, 'nosuch.cpuprofile')], 'cannot read the profile: no such file'],
    ['a directory', () => [dir], 'cannot read the profile: it is a directory'],
    ['a file that is not JSON', () => [path.join(dir, 'notes.txt')], 'not a V8 CPU profile (not JSON)'],
    [
      'JSON that is not a profile',
      () => [path.join(dir, 'other.json')],
      'not a V8 CPU profile (no nodes, samples and timeDeltas)',
    ],
  ])('%s, even after a good one: one line naming it, exit 2, nothing printed', async (_case, files, why) => {
    const named = files();
    const run = await runBuiltCli(SCRIPT, [profiles[0], ...named]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `${named[0]}: ${why}\n`,
    });
  });

  it.each(['abc', '0', '2.5'])('--top %s: one line naming the option, exit 2', async (top) => {
    const run = await runBuiltCli(SCRIPT, ['--top', top, profiles[0]]);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `--top: not a whole number of at least 1 (digits only, no unit or separator): ${top}\n`,
    });
  });

  it('no file: says so with the usage, exit 2, no stack trace', async () => {
    const run = await runBuiltCli(SCRIPT, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^No profile named\.\n\nUsage: node dist\/bench\/profile-summary\.js /);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
