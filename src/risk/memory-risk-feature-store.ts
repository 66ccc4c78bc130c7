import {
  ARRIVAL_WINDOW_MS,
  DEFAULT_RISK_FEATURE_STORE_OPTIONS,
  RISK_COUNTER_NAMES,
  decayFactor,
  zeroCounts,
} from './risk-counters';
import type { RiskCounts, RiskFeatureStoreOptions, SubjectCounters, SubjectUpdate } from './risk-counters';
import type { RiskFeatureStore } from './risk-feature-store';

interface SubjectState {
  /** Arrival times (epoch ms) by arrival id, oldest first (Map keeps insertion order). */
  arrivals: Map<string, number>;
  recent: RiskCounts;
  history: RiskCounts;
  /** When the counters were last decayed to (epoch ms). */
  at: number;
}

/** Updates between two sweeps of idle subjects. */
const SWEEP_EVERY_UPDATES = 10_000;

/**
 * The feature store in process memory, for the embedded mode and for replaying history offline
 * (training reads features exactly as the live path would). Same arithmetic as the Redis store;
 * subjects idle for `countersTtlMs` are swept out.
 */
export class MemoryRiskFeatureStore implements RiskFeatureStore {
  private readonly subjects = new Map<string, SubjectState>();
  private readonly options: RiskFeatureStoreOptions;
  private updatesSinceSweep = 0;

  constructor(options: Partial<RiskFeatureStoreOptions> = {}) {
    this.options = { ...DEFAULT_RISK_FEATURE_STORE_OPTIONS, ...options };
  }

  async record(subject: string, update: SubjectUpdate, now: number): Promise<SubjectCounters> {
    return this.recordNow(subject, update, now);
  }

  async add(subject: string, update: SubjectUpdate, now: number): Promise<void> {
    this.recordNow(subject, update, now);
  }

  /** `record` without the promise, for offline replays of millions of events. */
  recordNow(subject: string, update: SubjectUpdate, now: number): SubjectCounters {
    if (++this.updatesSinceSweep >= SWEEP_EVERY_UPDATES) this.sweep(now);
    const state = this.stateOf(subject, now);
    const arrivals = this.countArrivals(state, now);
    if (update.arrivalId !== undefined) this.addArrival(state, update.arrivalId, now);
    if (update.withdrawnArrivalId !== undefined) state.arrivals.delete(update.withdrawnArrivalId);
    const elapsed = now - state.at;
    const recent = scaled(state.recent, decayFactor(elapsed, this.options.recentHalfLifeMs));
    const history = scaled(state.history, decayFactor(elapsed, this.options.historyHalfLifeMs));
    state.recent = added(recent, update.counts);
    state.history = added(history, update.counts);
    state.at = Math.max(state.at, now);
    return { arrivals, recent, history };
  }

  private stateOf(subject: string, now: number): SubjectState {
    let state = this.subjects.get(subject);
    if (!state || now - state.at > this.options.countersTtlMs) {
      state = { arrivals: new Map(), recent: zeroCounts(), history: zeroCounts(), at: now };
      this.subjects.set(subject, state);
    }
    return state;
  }

  private countArrivals(state: SubjectState, now: number): SubjectCounters['arrivals'] {
    const counts = { last1m: 0, last10m: 0, last60m: 0 };
    for (const [id, at] of state.arrivals) {
      if (at <= now - ARRIVAL_WINDOW_MS) {
        state.arrivals.delete(id);
        continue;
      }
      counts.last60m += 1;
      if (at > now - 10 * 60_000) counts.last10m += 1;
      if (at > now - 60_000) counts.last1m += 1;
    }
    return counts;
  }

  private addArrival(state: SubjectState, id: string, now: number): void {
    state.arrivals.delete(id); // a repeated id moves, as ZADD re-scores it
    state.arrivals.set(id, now);
    // Like ZREMRANGEBYRANK: drop the earliest arrivals beyond the bound.
    for (const [oldest] of state.arrivals) {
      if (state.arrivals.size <= this.options.maxArrivals) break;
      state.arrivals.delete(oldest);
    }
  }

  private sweep(now: number): void {
    this.updatesSinceSweep = 0;
    for (const [subject, state] of this.subjects)
      if (now - state.at > this.options.countersTtlMs) this.subjects.delete(subject);
  }
}

function scaled(counts: RiskCounts, factor: number): RiskCounts {
  const result = zeroCounts();
  for (const name of RISK_COUNTER_NAMES) result[name] = counts[name] * factor;
  return result;
}

function added(counts: RiskCounts, increments: Partial<RiskCounts> | undefined): RiskCounts {
  const result = { ...counts };
  if (increments) for (const name of RISK_COUNTER_NAMES) result[name] += increments[name] ?? 0;
  return result;
}
