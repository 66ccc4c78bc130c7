import { runClosedLoop, runOpenLoop, runRounds } from './load/drivers';
import type { Sender } from './load/drivers';
import { HttpLoad } from './load/http-sender';
import type { PointResult } from './load/latency';
import type { BenchOptions } from './options';
import { RawSqlLoad } from './raw-sql';
import { SCENARIOS, requestsFor } from './scenarios';
import type { ScenarioName } from './scenarios';
import type { BenchEnvironment } from './harness/bench-environment';
import type { ServerProcess } from './harness/server-process';
import { claimStoreFallbacks, watchResidentMemory } from './harness/server-watch';

/** A closed-loop point, with the server's peak resident memory during it (MiB). */
export type ClosedLoopPoint = PointResult & { rounds?: number; serverRssMb?: number | null };

/** An open-loop run, with how many claims went down the database path during it. */
export type OpenLoopRun = PointResult & { ratePerSec: number; claimStoreFallbacks?: number };

/** One scenario's figures: closed loop by connections, and the open-loop runs by rate (req/s). */
export interface ScenarioResult {
  measures: string;
  closedLoop: Record<string, ClosedLoopPoint>;
  openLoop: Record<string, OpenLoopRun>;
}

/** Open-loop connections at most: a stall queues requests instead of opening sockets without end. */
const OPEN_LOOP_CONNECTIONS = 128;
/** How long the open loop waits for answers after the last request was due (ms): the time budget's guard. */
const OPEN_LOOP_DRAIN_MS = 5_000;
/** Connections of the unmeasured warm-up. */
const WARMUP_CONNECTIONS = 8;

/** Drives one scenario through its points and returns the figures. */
export async function measureScenario(
  name: ScenarioName,
  options: BenchOptions,
  environment: BenchEnvironment,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  const scenario = SCENARIOS[name];
  if (scenario.shape === 'event') throw new Error(`${name} is an event of its own, not a closed-loop scenario`);
  const result: ScenarioResult = { measures: scenario.measures, closedLoop: {}, openLoop: {} };
  const load = loadFor(name, options, environment);
  const server = serverOf(name, environment);
  try {
    if (options.warmupMs > 0) await runClosedLoop(load.workers(WARMUP_CONNECTIONS, 'warmup'), options.warmupMs);
    const points = scenario.shape === 'rounds' ? [options.stormConnections] : options.connections;
    for (const connections of points) {
      const senders = load.workers(connections, `c${connections}`);
      const memory = server && watchResidentMemory(server.pid);
      const point =
        scenario.shape === 'rounds'
          ? await runRounds(senders, options.durationMs)
          : await runClosedLoop(senders, options.durationMs);
      result.closedLoop[String(connections)] = { ...point, ...(memory ? { serverRssMb: await memory.stop() } : {}) };
      log(describe(`${name} c=${connections}`, point));
      await load.release();
    }
    for (const rate of scenario.shape === 'closed' ? options.openLoopRates : []) {
      const fallbacksBefore = server && (await claimStoreFallbacks(server.url));
      const point = await runOpenLoop(
        load.pooled(OPEN_LOOP_CONNECTIONS, `open${rate}`),
        rate,
        options.openLoopMs,
        OPEN_LOOP_DRAIN_MS,
      );
      const fallbacks =
        server && fallbacksBefore !== undefined ? (await claimStoreFallbacks(server.url)) - fallbacksBefore : undefined;
      result.openLoop[String(rate)] = {
        ...point,
        ratePerSec: rate,
        ...(fallbacks !== undefined ? { claimStoreFallbacks: fallbacks } : {}),
      };
      log(`${describe(`${name} open ${rate}/s`, point)}${fallbacks !== undefined ? `  fallbacks ${fallbacks}` : ''}`);
      await load.release();
    }
  } finally {
    await load.close();
  }
  return result;
}

/** The server a scenario loads (none for raw-sql, which talks to PostgreSQL itself). */
function serverOf(name: ScenarioName, environment: BenchEnvironment): ServerProcess | undefined {
  const { target } = SCENARIOS[name];
  if (target === 'sql') return undefined;
  return target === 'no-redis' ? environment.servers.noRedis : environment.servers.main;
}

interface ScenarioLoad {
  workers(count: number, pointId: string): Sender[];
  pooled(connections: number, pointId: string): Sender;
  /** Closes the connections of the last point (HTTP) so the next point starts with its own. */
  release(): Promise<void>;
  close(): Promise<void>;
}

function loadFor(name: ScenarioName, options: BenchOptions, environment: BenchEnvironment): ScenarioLoad {
  // New keys carry the scenario and the point: create and raw-sql write for the same customers.
  const fixtures = { ...environment.fixtures, runId: `${environment.fixtures.runId}-${name}` };
  if (SCENARIOS[name].target === 'sql') {
    const mode = name === 'raw-hot' ? 'minimal-hot' : 'write-order';
    const sql = new RawSqlLoad(environment.databaseUrl, options.poolSize, fixtures, mode);
    return {
      workers: (count, pointId) => Array.from({ length: count }, (_, worker) => sql.sender(worker, pointId)),
      pooled: (connections, pointId) => {
        const senders = Array.from({ length: connections }, (_, worker) => sql.sender(worker, pointId));
        return (sequence) => senders[sequence % connections](Math.floor(sequence / connections));
      },
      release: async () => undefined,
      close: () => sql.close(),
    };
  }
  const server = serverOf(name, environment);
  if (!server) throw new Error(`${name} needs the Redis-less server`);
  const http = new HttpLoad(server.url);
  const { expected } = SCENARIOS[name];
  return {
    workers: (count, pointId) => http.workers(count, requestsFor(name, fixtures, pointId), expected),
    pooled: (connections, pointId) => http.pooled(connections, requestsFor(name, fixtures, pointId), expected),
    release: () => http.close(),
    close: () => http.close(),
  };
}

function describe(label: string, point: PointResult): string {
  const { p50, p95, p99 } = point.latencyMs;
  const errors = point.errors ? `  errors ${point.errors} ${JSON.stringify(point.outcomes)}` : '';
  return `${label.padEnd(26)} ${point.throughputPerSec.toFixed(0).padStart(6)} req/s  p50 ${p50.toFixed(2)}  p95 ${p95.toFixed(2)}  p99 ${p99.toFixed(2)} ms${errors}`;
}
