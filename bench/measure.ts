import { runClosedLoop, runOpenLoop, runRounds } from './load/drivers';
import type { Sender } from './load/drivers';
import { HttpLoad } from './load/http-sender';
import type { PointResult } from './load/latency';
import type { BenchOptions } from './options';
import { RawSqlLoad } from './raw-sql';
import { SCENARIOS, requestsFor } from './scenarios';
import type { ScenarioName } from './scenarios';
import type { BenchEnvironment } from './harness/bench-environment';

/** One scenario's figures: closed loop by connections, and the open-loop run. */
export interface ScenarioResult {
  measures: string;
  closedLoop: Record<string, PointResult & { rounds?: number }>;
  openLoop?: PointResult & { ratePerSec: number };
}

/** Open-loop connections at most: a stall queues requests instead of opening sockets without end. */
const OPEN_LOOP_CONNECTIONS = 128;
/** How long the open loop waits for answers after the last request was due (ms): the time budget's guard. */
const OPEN_LOOP_DRAIN_MS = 5_000;
/** Connections of the unmeasured warm-up. */
const WARMUP_CONNECTIONS = 8;

/** Drives one scenario through its points and returns the figures. */
export async function measureScenario(name: ScenarioName, options: BenchOptions, environment: BenchEnvironment, log: (line: string) => void): Promise<ScenarioResult> {
  const scenario = SCENARIOS[name];
  const result: ScenarioResult = { measures: scenario.measures, closedLoop: {} };
  const load = loadFor(name, options, environment);
  try {
    if (options.warmupMs > 0) await runClosedLoop(load.workers(WARMUP_CONNECTIONS, 'warmup'), options.warmupMs);
    const points = scenario.shape === 'rounds' ? [options.stormConnections] : options.connections;
    for (const connections of points) {
      const senders = load.workers(connections, `c${connections}`);
      const point = scenario.shape === 'rounds' ? await runRounds(senders, options.durationMs) : await runClosedLoop(senders, options.durationMs);
      result.closedLoop[String(connections)] = point;
      log(describe(`${name} c=${connections}`, point));
      await load.release();
    }
    if (options.openLoopRate > 0 && scenario.shape === 'closed') {
      const point = await runOpenLoop(load.pooled(OPEN_LOOP_CONNECTIONS, 'open'), options.openLoopRate, options.openLoopMs, OPEN_LOOP_DRAIN_MS);
      result.openLoop = { ...point, ratePerSec: options.openLoopRate };
      log(describe(`${name} open ${options.openLoopRate}/s`, point));
    }
  } finally {
    await load.close();
  }
  return result;
}

interface ScenarioLoad {
  workers(count: number, pointId: string): Sender[];
  pooled(connections: number, pointId: string): Sender;
  /** Closes the connections of the last point (HTTP) so the next point starts with its own. */
  release(): Promise<void>;
  close(): Promise<void>;
}

function loadFor(name: ScenarioName, options: BenchOptions, environment: BenchEnvironment): ScenarioLoad {
  const { servers } = environment;
  // New keys carry the scenario and the point: create and raw-sql write for the same customers.
  const fixtures = { ...environment.fixtures, runId: `${environment.fixtures.runId}-${name}` };
  if (SCENARIOS[name].target === 'sql') {
    const sql = new RawSqlLoad(environment.databaseUrl, options.poolSize, fixtures);
    return {
      workers: (count, pointId) => Array.from({ length: count }, (_, worker) => sql.sender(worker, pointId)),
      pooled: (connections, pointId) => {
        const senders = Array.from({ length: connections }, (_, worker) => sql.sender(worker, pointId));
        return (sequence) => senders[sequence % connections]!(Math.floor(sequence / connections));
      },
      release: async () => undefined,
      close: () => sql.close(),
    };
  }
  const server = SCENARIOS[name].target === 'no-redis' ? servers.noRedis : servers.main;
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
