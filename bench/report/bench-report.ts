import os from 'node:os';
import type { ClaimBytes } from '../claim-memory';
import type { EmbeddedMemoryReport } from '../embedded-memory';
import type { FlashSaleReport } from '../flash-sale';
import type { ScenarioResult } from '../measure';
import type { BenchOptions } from '../options';
import type { ScenarioName } from '../scenarios';
import type { StatementCounts } from '../statement-counts';
import { checkTargets, computeRatios } from './ratios';
import type { Ratios, TargetCheck } from './ratios';

/** Everything a run wrote to latest.json. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  settings: Pick<
    BenchOptions,
    | 'connections'
    | 'stormConnections'
    | 'durationMs'
    | 'warmupMs'
    | 'openLoopRates'
    | 'openLoopMs'
    | 'poolSize'
    | 'logLevel'
  >;
  scenarios: Partial<Record<ScenarioName, ScenarioResult>>;
  ratios: Ratios;
  targets: TargetCheck[];
  statementCounts?: StatementCounts;
  /** The embedded mode's in-process stores after many completed keys. */
  embeddedMemory?: EmbeddedMemoryReport;
  /** The flash sale, against the minimal raw transaction on the same kind of hot row. */
  flashSale?: FlashSaleReport;
  /** Redis bytes of one completed key (MEMORY USAGE), by the order's item count. */
  claimBytes?: ClaimBytes;
}

/** What a run measured besides the scenarios. */
export interface RunExtras {
  statementCounts?: StatementCounts;
  embeddedMemory?: EmbeddedMemoryReport;
  flashSale?: FlashSaleReport;
  claimBytes?: ClaimBytes;
}

const loadAverage = () => os.loadavg().map((value) => Math.round(value * 100) / 100);

/** The machine as seen when the run starts; finish() completes the report. */
export function startReport(
  options: BenchOptions,
): (scenarios: BenchReport['scenarios'], extras?: RunExtras) => BenchReport {
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadAverage();
  const { connections, stormConnections, durationMs, warmupMs, openLoopRates, openLoopMs, poolSize, logLevel } =
    options;
  return (scenarios, extras = {}) => {
    const ratios = computeRatios(scenarios);
    return {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        node: process.version,
        loadAverageAtStart,
        loadAverageAtEnd: loadAverage(),
      },
      settings: { connections, stormConnections, durationMs, warmupMs, openLoopRates, openLoopMs, poolSize, logLevel },
      scenarios,
      ratios,
      targets: checkTargets(scenarios, ratios, openLoopRates, extras),
      ...extras,
    };
  };
}
