import os from 'node:os';
import type { AttemptRecord, ClientResult } from './clients';
import type { Fault } from './faults';
import type { Violation } from './invariants';

/** An attempt started this long after a fault ended still counts as inside it (ms): clients back off. */
const FAULT_TAIL_MS = 2_000;

export interface SoakReport {
  seed: number;
  minutes: number;
  targetRate: number;
  intents: number;
  clients: number;
  /** Intents started per second over the driving time. */
  achievedRate: number;
  drivingSeconds: number;
  faults: Fault[];
  faultsByKind: Record<string, number>;
  /** Every attempt's answer, by kind. */
  answers: Record<string, number>;
  finalOutcomes: Record<string, number>;
  latencyMs: { outsideFaults: Percentiles; insideFaults: Percentiles };
  liveChecks: number;
  violations: Violation[];
  violationsByInvariant: Record<string, number>;
  loadAverage: number[];
  /** Instance processes that exited with no fault killing them (not restarted until a fault picks them). */
  selfExits: string[];
}

interface Percentiles {
  attempts: number;
  p50: number;
  p99: number;
}

export function buildReport(input: {
  seed: number;
  minutes: number;
  targetRate: number;
  intents: number;
  drivingMs: number;
  startedAt: number;
  attempts: readonly AttemptRecord[];
  results: readonly ClientResult[];
  faults: Fault[];
  liveChecks: number;
  violations: Violation[];
  loadAverage: number[];
  selfExits: string[];
}): SoakReport {
  const windows = input.faults.map((fault) => [fault.startedAt, fault.endedAt + FAULT_TAIL_MS]);
  const inside: number[] = [];
  const outside: number[] = [];
  for (const attempt of input.attempts) {
    const at = attempt.startedAt - input.startedAt;
    (windows.some(([from, to]) => at >= from && at <= to) ? inside : outside).push(attempt.latencyMs);
  }
  return {
    seed: input.seed,
    minutes: input.minutes,
    targetRate: input.targetRate,
    intents: input.intents,
    clients: input.results.length,
    achievedRate: Math.round((input.intents / (input.drivingMs / 1_000)) * 10) / 10,
    drivingSeconds: Math.round(input.drivingMs / 1_000),
    faults: input.faults,
    faultsByKind: tally(input.faults.map((fault) => fault.kind)),
    answers: tally(input.attempts.map((attempt) => attempt.label)),
    finalOutcomes: tally(input.results.map((result) => result.outcome)),
    latencyMs: { outsideFaults: percentiles(outside), insideFaults: percentiles(inside) },
    liveChecks: input.liveChecks,
    violations: input.violations,
    violationsByInvariant: tally(input.violations.map((violation) => violation.invariant)),
    loadAverage: input.loadAverage,
    selfExits: input.selfExits,
  };
}

/** The report as text: the header, the fault timeline, answers, latencies, invariants. */
export function formatReport(report: SoakReport): string {
  const lines = [
    `soak: seed ${report.seed}, ${report.minutes} min, target ${report.targetRate} intents/s, ` +
      `achieved ${report.achievedRate} intents/s (${report.intents} intents, ${report.clients} clients, ` +
      `${report.drivingSeconds} s), load average at the end ${report.loadAverage.map((load) => load.toFixed(2)).join(' ')} on ${os.cpus().length} cores`,
    `faults: ${report.faults.length} ${JSON.stringify(report.faultsByKind)}`,
    ...report.faults.map(
      (fault) =>
        `  ${(fault.startedAt / 1_000).toFixed(1).padStart(7)} s  +${((fault.endedAt - fault.startedAt) / 1_000).toFixed(1)} s  ` +
        `${fault.kind}: ${fault.detail}${fault.error ? ` (failed: ${fault.error})` : ''}`,
    ),
    `answers (every attempt): ${JSON.stringify(report.answers)}`,
    `final outcomes: ${JSON.stringify(report.finalOutcomes)}`,
    `instances that exited by themselves: ${report.selfExits.length}`,
    ...report.selfExits.map((line) => `  ${line}`),
    `latency per attempt: outside faults p50 ${report.latencyMs.outsideFaults.p50} ms p99 ${report.latencyMs.outsideFaults.p99} ms ` +
      `(${report.latencyMs.outsideFaults.attempts}); inside faults p50 ${report.latencyMs.insideFaults.p50} ms ` +
      `p99 ${report.latencyMs.insideFaults.p99} ms (${report.latencyMs.insideFaults.attempts})`,
    `invariants (live checks ${report.liveChecks}, then at the end): ${
      report.violations.length === 0 ? '0 violations' : JSON.stringify(report.violationsByInvariant)
    }`,
    ...report.violations
      .slice(0, 20)
      .map((violation) => `  ${violation.at} ms ${violation.invariant}: ${violation.detail}`),
  ];
  return lines.join('\n');
}

function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { attempts: sorted.length, p50: at(0.5), p99: at(0.99) };
}

function tally(labels: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const label of labels) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}
