import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandHelp } from '../src/cli/command-line';
import { LOCAL_DATABASE_URL } from '../scripts/harness/local-database';
import { PROJECT_ROOT } from './harness/server-process';
import { SCENARIO_NAMES } from './scenarios';
import type { ScenarioName } from './scenarios';

/** The event: how many customers, how many units, how many at once. */
export interface FlashSaleSettings {
  /** Customers, one intent each. Default 5 000. */
  customers: number;
  /** Units of the one SKU on sale. Default 500. */
  stock: number;
  /** Customers served at once (each bot's copies ride on connections of their own). Default 64. */
  connections: number;
}

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

export const DEFAULT_DATABASE_URL = LOCAL_DATABASE_URL;
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Every command-line option of `npm run bench` (parseArgs' configuration). */
export const BENCH_ARGUMENTS = {
  options: {
    scenarios: { type: 'string' },
    connections: { type: 'string' },
    'storm-connections': { type: 'string' },
    'flash-customers': { type: 'string' },
    'flash-stock': { type: 'string' },
    'flash-connections': { type: 'string' },
    'duration-ms': { type: 'string' },
    'warmup-ms': { type: 'string' },
    'open-loop-rates': { type: 'string' },
    'open-loop-ms': { type: 'string' },
    'pool-size': { type: 'string' },
    'log-level': { type: 'string' },
    out: { type: 'string' },
    'no-chart': { type: 'boolean' },
    'no-statement-counts': { type: 'boolean' },
    'embedded-memory-keys': { type: 'string' },
    'cpu-prof-dir': { type: 'string' },
    'server-node-args': { type: 'string' },
    'database-url': { type: 'string' },
    'redis-url': { type: 'string' },
  },
} as const;

/** What `npm run bench -- --help` says (src/cli/command-line.ts prints it). */
export const BENCH_HELP: CommandHelp = {
  usage: 'npm run bench -- [options]',
  about:
    'Measures repeats, reads and creates against their floors, the flash sale, Redis bytes per key and statement counts; writes bench/results/latest.{json,md,png,svg}.',
  options: {
    scenarios: `comma-separated, of: ${SCENARIO_NAMES.join(', ')} (default all)`,
    connections: 'closed-loop concurrencies (default 1,8,32,128)',
    'storm-connections': 'connections of the storm, all on one key (default 128)',
    'flash-customers': "the flash sale's customers, one intent each (default 5000)",
    'flash-stock': "the flash sale's units (default 500)",
    'flash-connections': 'flash-sale customers served at once (default 64)',
    'duration-ms': 'measured time of each closed-loop point (default 3000)',
    'warmup-ms': "unmeasured load before a scenario's first point (default 1000)",
    'open-loop-rates': 'open-loop arrival rates per second; 0 skips them (default 500,1000)',
    'open-loop-ms': 'length of each open-loop run (default 3000)',
    'pool-size': "PostgreSQL connections of the server's pool and raw-sql's (default 10)",
    'log-level': "the servers' LOG_LEVEL (default info)",
    out: 'folder for latest.json, latest.md and the chart (default bench/results)',
    'no-chart': 'skip the chart',
    'no-statement-counts': 'skip the SQL statement counts',
    'embedded-memory-keys': "keys per step of the embedded stores' memory; 0 skips it (default 100000)",
    'cpu-prof-dir': 'run the main server under --cpu-prof, profiles into this folder',
    'server-node-args': "Node flags of the servers, e.g. '--max-semi-space-size=32'",
    'database-url': `PostgreSQL server to create the benchmark database on (default ${DEFAULT_DATABASE_URL})`,
    'redis-url': `Redis URL (default ${DEFAULT_REDIS_URL})`,
  },
};

/** `npm run bench -- --scenarios read,duplicate --connections 1,8 --open-loop-rates 500,1000 --duration-ms 2000 …`; `--scenarios flash-sale --flash-customers 5000 --flash-stock 500 --flash-connections 64` */
export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({ ...BENCH_ARGUMENTS, args: argv });
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
