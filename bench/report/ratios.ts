import { round } from '../load/latency';
import type { PointResult } from '../load/latency';
import type { ScenarioResult } from '../measure';
import type { ScenarioName } from '../scenarios';

type Results = Partial<Record<ScenarioName, ScenarioResult>>;

/** A ratio at each closed-loop concurrency (by connections) and in the open-loop run. */
export type RatioSeries = Record<string, number | null>;

export interface Ratios {
  duplicateOverRead: { p50: RatioSeries; p99: RatioSeries; throughput: RatioSeries };
  duplicateOverBaseline: { p50: RatioSeries; p99: RatioSeries; throughput: RatioSeries };
  createOverRawSqlThroughput: RatioSeries;
  /** What Redis buys: how much worse the tail is when the database answers repeats. */
  duplicateDbOverDuplicateP99: RatioSeries;
}

export interface TargetCheck {
  target: string;
  value: number | null;
  limit: number;
  met: boolean | null;
}

const OPEN = 'open';

/** Every point of both scenarios, closed-loop keys plus `open`. */
function series(results: Results, over: ScenarioName, under: ScenarioName, figure: (point: PointResult) => number): RatioSeries {
  const a = results[over];
  const b = results[under];
  if (!a || !b) return {};
  const ratios: RatioSeries = {};
  for (const key of Object.keys(a.closedLoop)) ratios[key] = divide(a.closedLoop[key], b.closedLoop[key], figure);
  if (a.openLoop || b.openLoop) ratios[OPEN] = divide(a.openLoop, b.openLoop, figure);
  return ratios;
}

function divide(a: PointResult | undefined, b: PointResult | undefined, figure: (point: PointResult) => number): number | null {
  if (!a || !b || figure(b) === 0) return null;
  return round(figure(a) / figure(b));
}

const p50 = (point: PointResult) => point.latencyMs.p50;
const p99 = (point: PointResult) => point.latencyMs.p99;
const throughput = (point: PointResult) => point.throughputPerSec;

export function computeRatios(results: Results): Ratios {
  const against = (under: ScenarioName) => ({
    p50: series(results, 'duplicate', under, p50),
    p99: series(results, 'duplicate', under, p99),
    throughput: series(results, 'duplicate', under, throughput),
  });
  return {
    duplicateOverRead: against('read'),
    duplicateOverBaseline: against('baseline'),
    createOverRawSqlThroughput: series(results, 'create', 'raw-sql', throughput),
    duplicateDbOverDuplicateP99: series(results, 'duplicate-db', 'duplicate', p99),
  };
}

/** The targets, reported (never asserted): null where the run did not measure the point. */
export function checkTargets(results: Results, ratios: Ratios): TargetCheck[] {
  const check = (target: string, value: number | null | undefined, limit: number, atMost: boolean): TargetCheck => ({
    target,
    value: value ?? null,
    limit,
    met: value == null ? null : atMost ? value <= limit : value >= limit,
  });
  return [
    check('closed loop, 8 connections: duplicate p50 / read p50 ≤ 1.2', ratios.duplicateOverRead.p50['8'], 1.2, true),
    check('closed loop, 32 connections: duplicate throughput / read throughput ≥ 0.8', ratios.duplicateOverRead.throughput['32'], 0.8, false),
    check('open loop: duplicate p99 / read p99 ≤ 1.5', ratios.duplicateOverRead.p99[OPEN], 1.5, true),
    check('open loop: duplicate p99 (ms) far under the 50 ms budget (≤ 25)', results.duplicate?.openLoop?.latencyMs.p99, 25, true),
    check('closed loop, 32 connections: create throughput / raw-sql throughput ≥ 0.5', ratios.createOverRawSqlThroughput['32'], 0.5, false),
  ];
}
