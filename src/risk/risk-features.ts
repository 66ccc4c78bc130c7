import type { SubjectCounters } from './risk-counters';

/**
 * The features of one new-key order that the matcher paired with an earlier order of the same
 * customer (its candidate): a pure function of the customer's and the source's counters (from the
 * feature store, as they were before this order) and of the match. Training replays history
 * through the same store and this same function, so the model sees exactly what the live path
 * will compute.
 */

/** What the matcher said about the order and its candidate. */
export interface CandidateMatch {
  /** The matcher's similarity of the two orders, 0–1. */
  similarity: number;
  /**
   * The matcher's verdict: the two are one delivery. Not similarity 1 alone: a parcel for another
   * recipient at the same address is as alike as an exact re-send, and is another order.
   */
  equivalent: boolean;
  /** Time from the candidate's creation to this order (ms). */
  msSinceCandidate: number;
}

/** Everything the features are computed from. */
export interface RiskFeatureInput {
  customer: SubjectCounters;
  source: SubjectCounters;
  candidate: CandidateMatch;
}

/**
 * Feature names in vector order; a model file names the features it was trained on and is refused
 * when they differ from these.
 */
/*
 * No feature counts confirmed duplicates (orders later merged or cancelled) any more: they were
 * trained on cancellations the server cannot make yet (no cancelOrder), so the live counters could
 * never show what training saw. The store still counts merges (`confirmedDuplicates`) for a later
 * model once cancellations are real.
 */
export const RISK_FEATURE_NAMES = [
  /** log(1 + the customer's new-key orders in the last minute). */
  'customer_orders_1m',
  /** log(1 + … in the last 10 minutes). */
  'customer_orders_10m',
  /** log(1 + … in the last 60 minutes). */
  'customer_orders_60m',
  /** Recent share of the customer's requests that repeated a key. */
  'customer_retry_rate',
  /** Recent share of the customer's orders held or flagged as possible duplicates. */
  'customer_hold_rate',
  /** Share of the customer's holds (history) that the customer confirmed: holds that were wrong. */
  'customer_override_rate',
  /** Recent share of the source's requests that repeated a key. */
  'source_retry_rate',
  /** Recent share of the source's orders held or flagged. */
  'source_hold_rate',
  /** The matcher's similarity, 0–1. */
  'similarity',
  /** 1 when the matcher found the orders equivalent (its verdict, CandidateMatch.equivalent). */
  'equivalent',
  /** log(1 + seconds since the candidate) / log(1 + 3600): 0 at once, 1 after an hour. */
  'time_since_candidate',
  /** similarity × e^(−seconds/60): alike and close together, the double submit's signature. */
  'alike_and_quick',
] as const;

export type RiskFeatureName = (typeof RISK_FEATURE_NAMES)[number];

/** Pseudo-counts that keep a rate of few events near a neutral prior instead of 0 or 1. */
const RATE_PRIOR = { events: 1, trials: 2 } as const;
const LOG_HOUR = Math.log1p(3_600);

/*
 * Counters are read clamped at 0: a count taken back (an attempt withdrawn, docs/risk.md "Counting")
 * is subtracted a little later than it was added, so under decay it removes slightly more than is
 * left of it (a few 10⁻⁷ of a count). Below 0 a rate would still be finite, and scored.
 */
function rate(events: number, trials: number, prior: { events: number; trials: number } = RATE_PRIOR): number {
  return (Math.max(0, events) + prior.events * 0.5) / (Math.max(0, trials) + prior.trials);
}

/** log(1 + arrivals in a window), clamped at 0 as the rates are. */
function velocity(arrivals: number): number {
  return Math.log1p(Math.max(0, arrivals));
}

/** The feature vector of one order, in `RISK_FEATURE_NAMES` order. Allocation-free but for the result. */
export function riskFeatures(input: RiskFeatureInput): Float64Array {
  const { customer, source, candidate } = input;
  const seconds = Math.max(0, candidate.msSinceCandidate) / 1_000;
  const features = new Float64Array(RISK_FEATURE_NAMES.length);
  features[0] = velocity(customer.arrivals.last1m);
  features[1] = velocity(customer.arrivals.last10m);
  features[2] = velocity(customer.arrivals.last60m);
  features[3] = rate(customer.recent.retries, customer.recent.requests);
  features[4] = rate(customer.recent.holds, customer.recent.orders);
  features[5] = rate(customer.history.overrides, customer.history.holds);
  features[6] = rate(source.recent.retries, source.recent.requests);
  features[7] = rate(source.recent.holds, source.recent.orders);
  features[8] = candidate.similarity;
  features[9] = candidate.equivalent ? 1 : 0;
  features[10] = Math.min(1, Math.log1p(seconds) / LOG_HOUR);
  features[11] = candidate.similarity * Math.exp(-seconds / 60);
  return features;
}
