import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from './harness/server-process';
import type { FlashSaleSettings } from './flash-sale';
import { SCENARIO_NAMES } from './scenarios';
import type { ScenarioName } from './scenarios';

/** What one `npm run bench` measures and where it writes. */
export interface BenchOptions {
  /** Scenarios to run. Default all of SCENARIO_NAMES. */
  scenarios: ScenarioName[];
  /** Closed-loop concurrencies (connections). Default 1, 8, 32, 128. */
  connections: number[];
  /** The flash sale's customers, units and customers served at once. Default 5 000, 500, 64. */
  flashSale: FlashSaleSettings;
  /** Connections of the storm scenario (all send the same key at once). Default 128. */
  stormConnections: number;
  /** Measured time of each closed-loop point (ms). Default 3 000. */
  durationMs: number;
  /** Unmeasured load before a scenario's first point, at 8 connections (ms). Default 1 000. */
  warmupMs: number;
  /** Arrival rates of the open-loop runs (requests/s), one run each; empty skips them. Default 500, 1 000. */
  openLoopRates: number[];
  /** Length of the open-loop run (ms). Default 3 000. */
  openLoopMs: number;
  /** PostgreSQL connections of the server's pool and of raw-sql's. Default 10 (the server's default). */
  poolSize: number;
  /** The servers' LOG_LEVEL. Default `info`, the production default: its cost is part of the figures. */
  logLevel: string;
  /** Where latest.json, latest.md and latest.png go. Default bench/results. */
  outDir: string;
  /** Skip the chart (the smoke test). Default false. */
  noChart: boolean;
  /** Skip the SQL statement counts. Default false. */
  noStatementCounts: boolean;
  /** Keys per step of the embedded stores' memory measurement (two steps); 0 skips it. Default 100 000. */
  embeddedMemoryKeys: number;
  /** Run the main server under `--cpu-prof`, profiles into this folder. Default none. */
  cpuProfileDir?: string;
  /** Node flags of the servers (e.g. `--max-semi-space-size=32`), not of the load generator. Default none. */
  serverNodeArgs: string[];
  /** A PostgreSQL server URL to create the benchmark database on. Default the local server. */
  databaseUrl: string;
  /** Redis URL. Default the local one. */
  redisUrl: string;
}

export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Every command-line option of `npm run bench`, with what `--help` says of it. */
const OPTIONS = {
  scenarios: { type: 'string', help: `comma-separated, of: ${SCENARIO_NAMES.join(', ')} (default all)` },
  connections: { type: 'string', help: 'closed-loop concurrencies (default 1,8,32,128)' },
  'storm-connections': { type: 'string', help: 'connections of the storm, all on one key (default 128)' },
  'flash-customers': { type: 'string', help: "the flash sale's customers, one intent each (default 5000)" },
  'flash-stock': { type: 'string', help: "the flash sale's units (default 500)" },
  'flash-connections': { type: 'string', help: 'flash-sale customers served at once (default 64)' },
  'duration-ms': { type: 'string', help: 'measured time of each closed-loop point (default 3000)' },
  'warmup-ms': { type: 'string', help: "unmeasured load before a scenario's first point (default 1000)" },
  'open-loop-rates': { type: 'string', help: 'open-loop arrival rates per second; 0 skips them (default 500,1000)' },
  'open-loop-ms': { type: 'string', help: 'length of each open-loop run (default 3000)' },
  'pool-size': { type: 'string', help: "PostgreSQL connections of the server's pool and raw-sql's (default 10)" },
  'log-level': { type: 'string', help: "the servers' LOG_LEVEL (default info)" },
  out: { type: 'string', help: 'folder for latest.json, latest.md and the chart (default bench/results)' },
  'no-chart': { type: 'boolean', help: 'skip the chart' },
  'no-statement-counts': { type: 'boolean', help: 'skip the SQL statement counts' },
  'embedded-memory-keys': {
    type: 'string',
    help: "keys per step of the embedded stores' memory; 0 skips it (default 100000)",
  },
  'cpu-prof-dir': { type: 'string', help: 'run the main server under --cpu-prof, profiles into this folder' },
  'server-node-args': { type: 'string', help: "Node flags of the servers, e.g. '--max-semi-space-size=32'" },
  'database-url': {
    type: 'string',
    help: `PostgreSQL server to create the benchmark database on (default ${DEFAULT_DATABASE_URL})`,
  },
  'redis-url': { type: 'string', help: `Redis URL (default ${DEFAULT_REDIS_URL})` },
  help: { type: 'boolean', help: 'print this and exit' },
} as const;

/** What `npm run bench -- --help` prints. */
export function benchUsage(): string {
  const width = Math.max(...Object.keys(OPTIONS).map((name) => name.length + 2));
  const lines = Object.entries(OPTIONS).map(
    ([name, option]) =>
      `  --${name}${option.type === 'string' ? ' <value>' : ''}`.padEnd(width + 12) + `  ${option.help}`,
  );
  return ['Usage: npm run bench -- [options]', '', ...lines, ''].join('\n');
}

/** True when the arguments ask for the usage (`--help`, `-h`). */
export function wantsBenchUsage(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** `npm run bench -- --scenarios read,duplicate --connections 1,8 --open-loop-rates 500,1000 --duration-ms 2000 …`; `--scenarios flash-sale --flash-customers 5000 --flash-stock 500 --flash-connections 64` */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(OPTIONS).map(([name, { type }]) => [name, { type }])) as {
      [Name in keyof typeof OPTIONS]: { type: (typeof OPTIONS)[Name]['type'] };
    },
  });
  const scenarios = (values.scenarios?.split(',') ?? [...SCENARIO_NAMES]).map((name) => {
    if (!(SCENARIO_NAMES as readonly string[]).includes(name))
      throw new Error(`unknown scenario ${name}; known: ${SCENARIO_NAMES.join(', ')}`);
    return name as ScenarioName;
  });
  return {
    scenarios,
    connections: values.connections?.split(',').map((count) => positive('connections', count)) ?? [1, 8, 32, 128],
    flashSale: {
      customers: positive('flash-customers', values['flash-customers'] ?? '5000'),
      stock: positive('flash-stock', values['flash-stock'] ?? '500'),
      connections: positive('flash-connections', values['flash-connections'] ?? '64'),
    },
    stormConnections: positive('storm-connections', values['storm-connections'] ?? '128'),
    durationMs: positive('duration-ms', values['duration-ms'] ?? '3000'),
    warmupMs: nonNegative('warmup-ms', values['warmup-ms'] ?? '1000'),
    openLoopRates: (values['open-loop-rates'] ?? '500,1000')
      .split(',')
      .filter((rate) => rate !== '' && rate !== '0')
      .map((rate) => positive('open-loop-rates', rate)),
    openLoopMs: positive('open-loop-ms', values['open-loop-ms'] ?? '3000'),
    poolSize: positive('pool-size', values['pool-size'] ?? '10'),
    logLevel: values['log-level'] ?? 'info',
    outDir: path.resolve(values.out ?? path.join(PROJECT_ROOT, 'bench/results')),
    noChart: values['no-chart'] ?? false,
    noStatementCounts: values['no-statement-counts'] ?? false,
    embeddedMemoryKeys: nonNegative('embedded-memory-keys', values['embedded-memory-keys'] ?? '100000'),
    cpuProfileDir: values['cpu-prof-dir'] && path.resolve(values['cpu-prof-dir']),
    serverNodeArgs: values['server-node-args']?.split(' ').filter((flag) => flag !== '') ?? [],
    databaseUrl: values['database-url'] ?? DEFAULT_DATABASE_URL,
    redisUrl: values['redis-url'] ?? DEFAULT_REDIS_URL,
  };
}

function nonNegative(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number ≥ 0, got ${text}`);
  return value;
}

function positive(name: string, text: string): number {
  const value = nonNegative(name, text);
  if (value === 0) throw new Error(`--${name} must be at least 1`);
  return value;
}
