/**
 * What the risk feature store keeps per subject (a customer, or a sales channel and source), and
 * the arithmetic both stores share. Counters decay exponentially instead of living in fixed
 * windows: one number per counter and horizon, exact under concurrent increments (Redis adds them
 * in one Lua call), and memory that does not grow with traffic.
 */

/**
 * Events counted per subject. Their order is the layout of the counters Redis keeps (by position,
 * RECORD_COUNTERS_LUA): a list of another length reads the stored counters as none, and one
 * reordered or renamed at the same length would read them into the wrong counters, so such a
 * change also takes a new key (RedisRiskFeatureStore.keysFor).
 */
export const RISK_COUNTER_NAMES = [
  /** Every create request, repeats with the same key included. */
  'requests',
  /** Requests that repeated a key (answered `duplicate`, `in_progress`, `reused`, token replays). */
  'retries',
  /** New-key order attempts (created, held or flagged). */
  'orders',
  /** Attempts the duplicate check held or flagged. */
  'holds',
  /** Held orders the client confirmed and placed anyway (the hold was wrong). */
  'overrides',
  /** Orders later confirmed duplicates: merged, or cancelled while they had a candidate. */
  'confirmedDuplicates',
] as const;

export type RiskCounterName = (typeof RISK_COUNTER_NAMES)[number];

export type RiskCounts = Record<RiskCounterName, number>;

/** A subject's arrivals in sliding windows and its decayed counters, as they were before an update. */
export interface SubjectCounters {
  /** New-key order attempts in the last 1, 10 and 60 minutes (exact sliding windows). */
  arrivals: { last1m: number; last10m: number; last60m: number };
  /** Counters decayed with the recent half-life (default 1 hour). */
  recent: RiskCounts;
  /** Counters decayed with the history half-life (default 7 days). */
  history: RiskCounts;
}

/** One update of a subject: an arrival for the velocity windows and counter increments. */
export interface SubjectUpdate {
  /** Unique id of a new-key order attempt (e.g. the request id); counts it in the velocity windows. */
  arrivalId?: string;
  /**
   * An arrival taken back: an attempt counted as it arrived that turned out to be no order attempt
   * (refused in its transaction, a repeat only the database knew, a failure). Removed from the windows.
   */
  withdrawnArrivalId?: string;
  /** Increments of counters (default none). */
  counts?: Partial<RiskCounts>;
}

/** Horizons and bounds of the feature store. */
export interface RiskFeatureStoreOptions {
  /** Half-life of the recent counters (ms). Default 3 600 000 (1 hour). */
  recentHalfLifeMs: number;
  /** Half-life of the history counters (ms). Default 604 800 000 (7 days). */
  historyHalfLifeMs: number;
  /** Arrivals kept per subject for the velocity windows; older ones are trimmed. Default 1 000. */
  maxArrivals: number;
  /**
   * Idle time after which a subject's counters are forgotten (ms; Redis TTL). Default 4 history
   * half-lives (28 days), when counters have decayed to 1/16.
   */
  countersTtlMs: number;
}

/** The longest velocity window (ms): arrivals older than this are dropped. */
export const ARRIVAL_WINDOW_MS = 60 * 60_000;

/** The velocity windows (ms), shortest first. */
export const VELOCITY_WINDOWS_MS = [60_000, 10 * 60_000, ARRIVAL_WINDOW_MS] as const;

export const DEFAULT_RISK_FEATURE_STORE_OPTIONS: RiskFeatureStoreOptions = {
  recentHalfLifeMs: 60 * 60_000,
  historyHalfLifeMs: 7 * 24 * 60 * 60_000,
  maxArrivals: 1_000,
  countersTtlMs: 4 * 7 * 24 * 60 * 60_000,
};

/** The factor a counter keeps after `elapsedMs` (clock steps backwards count as no time). */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs <= 0 ? 1 : 2 ** (-elapsedMs / halfLifeMs);
}

export function zeroCounts(): RiskCounts {
  return { requests: 0, retries: 0, orders: 0, holds: 0, overrides: 0, confirmedDuplicates: 0 };
}

/** A customer as a subject of the store (defined with the keys: store-keys.ts). */
export { customerSubject } from '../stores/store-keys';

/**
 * A sales channel, and within it the source (a marketplace's name, a POS store) when there is one,
 * as a subject of the store: `s:MARKETPLACE/acme`.
 */
export function sourceSubject(channel: string, source?: string | null): string {
  return source ? `s:${channel}/${source}` : `s:${channel}`;
}
