/**
 * npm run build && node dist/scripts/measure-order-index.js [--orders 100000] [--seed 1]
 *
 * Measures `orders:import` and `dedupe -- scan` end to end on a seeded, labelled file, the way an
 * operator runs them: a scratch database on the server of DATABASE_URL (default the local
 * PostgreSQL; created, migrated, given SKU-0001 … SKU-0300, dropped afterwards), the built
 * commands as child processes, wall time, orders per second and peak RSS (VmHWM, Linux), and the
 * scan's report checked against the labels (recall and false-positive rate through the database
 * path). Prints the load average before and after: the machine may be shared.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseCommandLine } from '../src/cli/command-line';
import { toolDatabaseUrl } from './harness/local-database';
import { applyMigrations, findProjectRoot } from '../src/db/migrations/migrator';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch-database';
import type { DedupeReport } from '../src/order-index/report-file';
import { wilson } from '../test/fixtures/evaluate-matcher';
import { formatRate } from '../test/fixtures/evaluation-report';
import { generateOrderStream, importLine } from '../test/fixtures/order-stream';

const { values } = parseCommandLine(
  {
    usage: 'node dist/scripts/measure-order-index.js [--orders 100000] [--seed 1]',
    about:
      "Measures `orders:import` and `dedupe -- scan` end to end on a seeded, labelled file, in a scratch database on DATABASE_URL's server (default the local PostgreSQL), dropped afterwards; the commands use REDIS_URL's Redis (default the local one).",
    options: { orders: 'orders in the file', seed: "the stream generator's seed" },
  },
  { options: { orders: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' } } },
);
const SERVER_URL = toolDatabaseUrl();
const root = findProjectRoot(__dirname);

interface Run {
  seconds: number;
  peakRssMb: number | null;
  stdout: string;
}

/** Runs a built command, polling its peak resident set size from /proc while it runs. */
function runCommand(script: string, args: string[], databaseUrl: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [path.join(root, 'dist', script), ...args], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        REDIS_URL: process.env['REDIS_URL'] || 'redis://127.0.0.1:6379',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    let peakKb: number | null = null;
    const status = `/proc/${child.pid}/status`;
    const poll = setInterval(() => {
      if (!existsSync(status)) return;
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'));
      if (match) peakKb = Number(match[1]);
    }, 50);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== 0 && code !== 1) return reject(new Error(`${script} exited with ${code}`));
      resolve({
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        peakRssMb: peakKb === null ? null : Math.round(peakKb / 1024),
        stdout,
      });
    });
  });
}

async function seedCatalog(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
    SELECT gen_random_uuid(), 'SKU-' || lpad(i::text, 4, '0'), 'Product ' || i, 100 + i, 'EUR', 1000000, now() FROM generate_series(1, 300) AS i`);
  await client.end();
}

async function main(): Promise<void> {
  const loadBefore = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
  const stream = generateOrderStream({ seed: Number(values.seed), size: Number(values.orders) });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'og-measure-'));
  const file = path.join(dir, 'orders.jsonl');
  await writeFile(file, `${stream.map(importLine).join('\n')}\n`);
  const database = await createScratchDatabase(SERVER_URL, 'og_measure');
  try {
    await applyMigrations(database.url);
    await seedCatalog(database.url);
    const imported = await runCommand('src/order-index/orders-import-cli.js', [file], database.url);
    const reportPath = path.join(dir, 'report.json');
    const scanned = await runCommand('src/order-index/dedupe-cli.js', ['scan', '--report', reportPath], database.url);
    const report = JSON.parse(await readFile(reportPath, 'utf8')) as DedupeReport;
    const found = new Set(
      report.groups.flatMap((group) =>
        group.duplicates.map((duplicate) => `${duplicate.externalId}<${group.survivor.externalId}`),
      ),
    );
    const labelled = stream
      .filter((order) => order.duplicateOf)
      .map((order) => `${order.record.externalId}<${order.duplicateOf}`);
    const labelledIds = new Set(stream.filter((order) => order.duplicateOf).map((order) => order.record.externalId));
    const falseAlarms = [...found].filter((pair) => !labelledIds.has(pair.split('<')[0])).length;
    const perSecond = (run: Run) => Math.round(stream.length / run.seconds).toLocaleString('en');
    console.log(
      `orders: ${stream.length.toLocaleString('en')} (seed ${values.seed}); load average before: ${loadBefore}, after: ${os
        .loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
    );
    console.log(
      `import: ${imported.seconds.toFixed(1)} s, ${perSecond(imported)} orders/s (process start included), peak RSS ${imported.peakRssMb ?? 'n/a'} MB — ${imported.stdout.trim()}`,
    );
    console.log(
      `scan:   ${scanned.seconds.toFixed(1)} s, ${perSecond(scanned)} orders/s (process start included), peak RSS ${scanned.peakRssMb ?? 'n/a'} MB`,
    );
    console.log(
      `through the database: recall ${formatRate(wilson(labelled.filter((pair) => found.has(pair)).length, labelled.length))}, ` +
        `false-positive rate ${formatRate(wilson(falseAlarms, stream.length - labelled.length), 4)}`,
    );
  } finally {
    await dropScratchDatabase(SERVER_URL, database.name);
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
