import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** What one measured point (a scenario at one load) gave. Latencies in milliseconds. */
export interface PointResult {
  /** Requests completed within the point, successes and failures alike. */
  requests: number;
  /** Requests that failed or got an answer other than the scenario's expected one. */
  errors: number;
  /** Completed requests per second of wall time. */
  throughputPerSec: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** How many answers of each `__typename` (or `sql`) came back: shows what was really measured. */
  outcomes: Record<string, number>;
}

/** Latencies up to a minute, in microseconds, to three significant digits. */
const HIGHEST_TRACKABLE_US = 60_000_000;

/** Collects latencies (HdrHistogram, µs resolution) and outcomes of one point. */
export class LatencyRecorder {
  private readonly histogram: Histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
  });
  private errors = 0;
  /** Exact, where the histogram's bucket edges would round a percentile above the true maximum. */
  private maxUs = 0;
  private readonly outcomes = new Map<string, number>();

  /** Records one completed request: its latency in milliseconds and what it answered. */
  record(latencyMs: number, outcome: string, ok: boolean): void {
    const us = Math.min(HIGHEST_TRACKABLE_US, Math.max(1, Math.round(latencyMs * 1000)));
    this.histogram.recordValue(us);
    this.maxUs = Math.max(this.maxUs, us);
    if (!ok) this.errors += 1;
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
  }

  /** The point's figures over `elapsedMs` of wall time. */
  result(elapsedMs: number): PointResult {
    const ms = (percentile: number) =>
      round(Math.min(this.histogram.getValueAtPercentile(percentile), this.maxUs) / 1000);
    const requests = this.histogram.totalCount;
    return {
      requests,
      errors: this.errors,
      throughputPerSec: round(requests / (elapsedMs / 1000)),
      latencyMs: {
        p50: ms(50),
        p95: ms(95),
        p99: ms(99),
        max: round(this.maxUs / 1000),
        mean: round(this.histogram.mean / 1000),
      },
      outcomes: Object.fromEntries(this.outcomes),
    };
  }
}

/** Three decimals: microsecond precision in milliseconds, and ratios readable in JSON. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
