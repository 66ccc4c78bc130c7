import { callStore } from '../stores/store-call';
import type { StoreCallPolicy } from '../stores/store-call';
import { RISK_COUNTER_NAMES, zeroCounts } from './risk-counters';
import type { RiskCounts, SubjectCounters } from './risk-counters';
import type { RiskFeatureStore } from './risk-feature-store';

/** How often a source's counters are read again and this process's increments written (ms). */
export const SOURCE_REFRESH_MS = 1_000;
/** A source without activity for this long is forgotten by the process (ms). */
const IDLE_SOURCE_MS = 10 * 60_000;

interface SourceState {
  /** The counters as last read, with this process's increments written since; null before the first read. */
  counters: SubjectCounters | null;
  readAt: number;
  /** Increments not written yet. */
  pending: RiskCounts;
  refreshing: Promise<void> | null;
  usedAt: number;
}

/**
 * A sales source's counters as this process uses them. Every order of a channel (or of one
 * marketplace) is counted against its source, so one key pair would take every create of every
 * instance: instead each process reads a source at most once a `refreshMs` for all its requests,
 * and sums its increments in memory until the next write (the same call). A source's rates move
 * over hundreds of orders; a second's lag changes nothing, and an increment waits at most that long
 * (or is written at shutdown, `flush`). The features read no source velocity, so no arrivals are kept.
 */
export class SourceCounters {
  private readonly sources = new Map<string, SourceState>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: RiskFeatureStore,
    /** Budgets and failure counting: `read` for a request waiting on the counters, `update` for background writes. */
    private readonly calls: { read: StoreCallPolicy; update: StoreCallPolicy },
    private readonly refreshMs = SOURCE_REFRESH_MS,
  ) {
    this.timer = setInterval(() => void this.writeIdle(), refreshMs);
    this.timer.unref();
  }

  /**
   * The source's counters before this attempt (at most `refreshMs` old), then counts the attempt.
   * Null when they could not be read and none were read before.
   */
  async read(subject: string, increments: Partial<RiskCounts>, now = Date.now()): Promise<SubjectCounters | null> {
    const state = this.stateOf(subject, now);
    if (!state.counters || now - state.readAt >= this.refreshMs) await this.refresh(subject, state, now, 'read');
    const counters = state.counters;
    this.add(subject, increments, now);
    return (
      counters && { arrivals: counters.arrivals, recent: { ...counters.recent }, history: { ...counters.history } }
    );
  }

  /** Counts for the source, written with its next refresh. */
  add(subject: string, increments: Partial<RiskCounts>, now = Date.now()): void {
    const state = this.stateOf(subject, now);
    for (const name of RISK_COUNTER_NAMES) state.pending[name] += increments[name] ?? 0;
  }

  /** Stops the timer and writes every pending increment (shutdown). */
  async flush(): Promise<void> {
    clearInterval(this.timer);
    const now = Date.now();
    await Promise.all(
      [...this.sources]
        .filter(([, state]) => hasPending(state))
        .map(([subject, state]) => this.refresh(subject, state, now, 'update')),
    );
  }

  private stateOf(subject: string, now: number): SourceState {
    let state = this.sources.get(subject);
    if (!state) {
      state = { counters: null, readAt: 0, pending: zeroCounts(), refreshing: null, usedAt: now };
      this.sources.set(subject, state);
    }
    state.usedAt = now;
    return state;
  }

  /** Writes the pending increments and reads the counters in one call; concurrent callers share it. */
  private refresh(subject: string, state: SourceState, now: number, operation: 'read' | 'update'): Promise<void> {
    state.refreshing ??= this.writeAndRead(subject, state, now, operation).finally(() => {
      state.refreshing = null;
    });
    return state.refreshing;
  }

  private async writeAndRead(
    subject: string,
    state: SourceState,
    now: number,
    operation: 'read' | 'update',
  ): Promise<void> {
    const written = state.pending;
    state.pending = zeroCounts();
    const result = await callStore(this.calls[operation], operation, () =>
      this.store.record(subject, { counts: written }, now),
    );
    if (!result.ok) {
      // Kept for the next try: an outage delays counts, it does not lose them (until shutdown).
      for (const name of RISK_COUNTER_NAMES) state.pending[name] += written[name];
      return;
    }
    // The store answers the counters before the write: this process's increments are part of the past.
    const { arrivals, recent, history } = result.value;
    for (const name of RISK_COUNTER_NAMES) {
      recent[name] += written[name];
      history[name] += written[name];
    }
    state.counters = { arrivals, recent, history };
    state.readAt = now;
  }

  /** The timer's round: writes what is pending, forgets idle sources. */
  private async writeIdle(): Promise<void> {
    const now = Date.now();
    for (const [subject, state] of this.sources) {
      if (hasPending(state)) void this.refresh(subject, state, now, 'update');
      else if (now - state.usedAt > IDLE_SOURCE_MS) this.sources.delete(subject);
    }
  }
}

function hasPending(state: SourceState): boolean {
  return RISK_COUNTER_NAMES.some((name) => state.pending[name] !== 0);
}
