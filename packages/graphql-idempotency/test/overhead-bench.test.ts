import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REDIS_URL } from './support';

// bench/overhead.js (`npm run bench -w graphql-idempotency`, the built package) run small against
// the real Redis: it starts its server, sends every variant and prints its table, each row with
// finite figures. A smoke test: it asserts nothing about speed.
const BENCH = path.resolve(__dirname, '../bench/overhead.js');
const ROWS = ['unguarded', 'guarded, new key', 'guarded, repeat', 'floor: one claim command, no guard'];

/** The rows of the table the bench prints, by their first cell, each with its figures. */
function tableOf(stdout: string): Record<string, number[]> {
  const lines = stdout.split('\n').filter((line) => line.startsWith('| '));
  expect(lines[0]).toMatch(/^\| call \| p50 \(ms\) \| × unguarded \|/);
  return Object.fromEntries(
    lines
      .slice(1)
      .filter((line) => !line.startsWith('| ---'))
      .map((line) => {
        const [name, ...figures] = line.slice(2, -2).split(' | ');
        return [name, figures.map(Number)];
      }),
  );
}

async function runBench(env: Record<string, string>): Promise<Record<string, number[]>> {
  const { stdout } = await promisify(execFile)(process.execPath, [BENCH], {
    env: { ...process.env, REDIS_URL, ROUNDS: '1', REQUESTS: '60', WARMUP: '40', ...env },
    timeout: 60_000,
  });
  return tableOf(stdout);
}

describe('bench/overhead.js, run small against the real Redis', () => {
  it('each variant alone (ALONE=1): a row per variant with its p50, its ratio and its server CPU', async () => {
    const table = await runBench({ ALONE: '1' });
    expect(Object.keys(table)).toEqual(ROWS);
    for (const [p50, ratio, cpuUs, cpuRatio] of Object.values(table)) {
      expect([p50, ratio].every((figure) => Number.isFinite(figure) && figure > 0)).toBe(true);
      expect(Number.isFinite(cpuUs) && cpuUs >= 0).toBe(true);
      // CPU time is counted in 10 ms ticks: 60 fast requests may take none, and a ratio to none is not a number.
      if (table['unguarded'][2] > 0) expect(Number.isFinite(cpuRatio)).toBe(true);
    }
  }, 90_000);

  it('interleaved: a row per variant with its p50 and its ratio', async () => {
    const table = await runBench({});
    expect(Object.keys(table)).toEqual(ROWS);
    for (const figures of Object.values(table)) {
      expect(figures).toHaveLength(2);
      expect(figures.every((figure) => Number.isFinite(figure) && figure > 0)).toBe(true);
    }
  }, 90_000);
});
