import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchReport } from '../../bench/report/bench-report';
import { ADMIN_DATABASE_URL } from '../support/database';
import { PROJECT_ROOT } from '../support/server';
import { TEST_REDIS_URL } from '../support/redis';

const run = promisify(execFile);

/**
 * Keeps `npm run bench` working: the built harness (npm test builds first) runs a tiny
 * configuration against its own database and servers, and what it writes has the full shape.
 * Figures are never asserted: the machine is shared.
 */
describe('benchmark harness (smoke)', () => {
  let outDir: string;
  let report: BenchReport;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'og-bench-smoke-'));
    const args = [
      path.join(PROJECT_ROOT, 'dist/bench/run.js'),
      '--scenarios',
      'baseline,duplicate',
      '--connections',
      '1',
      '--duration-ms',
      '1000',
      '--warmup-ms',
      '200',
      '--open-loop-rates',
      '50',
      '--embedded-memory-keys',
      '2000',
      '--open-loop-ms',
      '500',
      '--out',
      outDir,
      '--database-url',
      ADMIN_DATABASE_URL,
      '--redis-url',
      TEST_REDIS_URL,
    ];
    await run(process.execPath, args, { cwd: PROJECT_ROOT, timeout: 150_000 });
    report = JSON.parse(await readFile(path.join(outDir, 'latest.json'), 'utf8')) as BenchReport;
  }, 180_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('measures each scenario closed loop at 1 connection and open loop, with only the expected answers', () => {
    expect(Object.keys(report.scenarios)).toEqual(['baseline', 'duplicate']);
    for (const [scenario, answer] of [
      ['baseline', 'Query'],
      ['duplicate', 'DuplicateDetected'],
    ] as const) {
      const result = report.scenarios[scenario]!;
      for (const point of [result.closedLoop['1'], result.openLoop['50']]) {
        expect(point.requests).toBeGreaterThan(0);
        expect(point.throughputPerSec).toBeGreaterThan(0);
        expect(point.errors).toBe(0);
        expect(point.outcomes).toEqual({ [answer]: point.requests });
        expect(point.latencyMs.p50).toBeGreaterThan(0);
        expect(point.latencyMs.p50).toBeLessThanOrEqual(point.latencyMs.p95);
        expect(point.latencyMs.p95).toBeLessThanOrEqual(point.latencyMs.p99);
        expect(point.latencyMs.p99).toBeLessThanOrEqual(point.latencyMs.max);
      }
      expect(result.openLoop['50'].ratePerSec).toBe(50);
      expect(result.openLoop['50'].requests).toBe(25);
      // Every closed-loop point knows the server's memory; every open-loop run its fallbacks.
      expect(result.closedLoop['1'].serverRssMb).toBeGreaterThan(10);
      expect(result.openLoop['50'].claimStoreFallbacks).toEqual(expect.any(Number));
    }
  });

  it('computes the ratios of the measured pairs and reports every target', () => {
    const { duplicateOverBaseline } = report.ratios;
    const baseline = report.scenarios.baseline!.closedLoop['1'];
    const duplicate = report.scenarios.duplicate!.closedLoop['1'];
    expect(duplicateOverBaseline.throughput['1']).toBeCloseTo(
      duplicate.throughputPerSec / baseline.throughputPerSec,
      2,
    );
    expect(duplicateOverBaseline.p50['1']).toBeCloseTo(duplicate.latencyMs.p50 / baseline.latencyMs.p50, 2);
    expect(typeof duplicateOverBaseline.p99['open 50/s']).toBe('number');
    expect(report.ratios.duplicateOverRead.p50).toEqual({});
    // Three closed-loop targets, three per open-loop rate, create / raw-sql, two for Redis down,
    // create-hot / raw-hot, two for the flash sale and the bytes of a completed key: only the
    // duplicate's own open-loop figures and the bytes were measured here.
    expect(report.targets).toHaveLength(13);
    expect(report.targets.map((check) => check.met === null)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(Object.keys(report.claimBytes!)).toEqual(['1', '3', '20']);
    for (const bytes of Object.values(report.claimBytes!)) expect(bytes).toBeGreaterThan(100);
  });

  it("measures the embedded stores' memory, bounded", () => {
    const memory = report.embeddedMemory!;
    expect(memory.steps.map((step) => step.completedKeys)).toEqual([2_000, 4_000]);
    for (const step of memory.steps) expect(step.claimEntries).toBeLessThanOrEqual(memory.maxEntries);
    expect(memory.steps[1].rssMb).toBeGreaterThan(0);
  });

  it('counts the same few SQL statements for a page of orders with items and products, whatever its size (no N+1)', () => {
    // Constant whatever the page size: orders, their items, their products (2 when the products come from the catalog cache).
    const counts = Object.values(report.statementCounts!.ordersPage);
    expect(new Set(counts).size).toBe(1);
    expect(counts[0]).toBeLessThanOrEqual(3);
    expect(report.statementCounts!.perRequest.baseline).toBe(0);
  });

  it('writes the markdown table and a PNG chart', async () => {
    const markdown = await readFile(path.join(outDir, 'latest.md'), 'utf8');
    expect(markdown).toContain('| baseline | 1 conn |');
    expect(markdown).toContain('| duplicate | open 50/s |');
    expect(markdown).toContain('## Embedded mode: in-process stores after many completed keys');
    expect(markdown).toContain('| duplicate / baseline, p50 |');
    const png = await readFile(path.join(outDir, 'latest.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('prints its options for --help, and a bad option as a message with them (no stack)', async () => {
    const bench = path.join(PROJECT_ROOT, 'dist/bench/run.js');
    const help = await run(process.execPath, [bench, '--help'], { cwd: PROJECT_ROOT });
    expect(help.stdout).toContain('Usage: npm run bench -- [options]');
    expect(help.stdout).toMatch(/--scenarios <value> +comma-separated, of: baseline, /);
    expect(help.stdout).toContain('--flash-stock <value>');
    const bad = await run(process.execPath, [bench, '--connection', '8'], { cwd: PROJECT_ROOT }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toContain("Unknown option '--connection'");
    expect(bad?.stderr).toContain('Usage: npm run bench');
    expect(bad?.stderr).not.toMatch(/\n\s+at /);
  });
});
