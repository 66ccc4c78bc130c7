import type { RiskTakeBack } from '../idempotency/order-decision-event';
import type { RiskCounts } from './risk-counters';
import type { CandidateMatch } from './risk-features';
import type { RiskThresholds } from './risk-model';
import type { RiskAction } from './risk-policy';

/**
 * What placement and the observers see of duplicate-risk scoring (DuplicateRiskScoring, in
 * risk-scoring.ts): who is counted, one attempt's assessment, its scorer and what was decided.
 */

/** Whether the model decides or only scores beside today's rule (RISK_MODE). */
export type RiskMode = 'decide' | 'shadow';

/** Who sent an order or a request, as the feature store counts them. */
export interface RiskSender {
  customerId: string;
  channel: string;
  /** The source within the channel (a marketplace's name, a store), if the door names one. */
  salesSource?: string | null;
}

/** A new-key order attempt. */
export interface RiskAttempt extends RiskSender {
  /**
   * The attempt's own arrival in the velocity windows (made at admission, or by placement), never
   * the request's id: a request may carry several attempts (docs/risk.md, "Counting").
   */
  arrivalId: string;
}

/** One request's scorer: the counters read when its order arrived, and one model. CPU only. */
export interface RiskScorer {
  readonly modelVersion: string;
  readonly thresholds: RiskThresholds;
  /**
   * The probability (0–1) that the order is a duplicate of this candidate; null when a feature is
   * missing or not finite, or the score is not finite (then today's rule decides).
   */
  score(candidate: CandidateMatch): number | null;
}

/** What was decided about an attempt, for the metrics. */
export interface RiskOutcome {
  /** The decision on its candidate; null when no candidate turned up (nothing was decided). */
  action: RiskAction | null;
  decidedBy: 'model' | 'guard-rail' | 'static-rule';
  score: number | null;
  /** In shadow mode: what the model would have done (null: it could not score). */
  shadow?: { action: RiskAction | null; score: number | null };
}

/** One attempt being scored. */
export interface RiskAssessment {
  /** How far back candidates are looked for (ms). */
  readonly lookbackMs: number;
  /** The guard rail (ms): see RiskScoringOptions.minHoldMs. */
  readonly minHoldMs: number;
  readonly mode: RiskMode;
  /** The scorer once the counters arrived; null (today's rule) when the store failed or was late. Never rejects. */
  readonly scorer: Promise<RiskScorer | null>;
  /** Records what was decided in the metrics. */
  settle(outcome: RiskOutcome): void;
  /**
   * The attempt, counted as an order attempt as it arrived, turned out to be none (it failed):
   * takes back its `requests`, `orders` and arrival, and adds `counts` in the same update (a
   * failure the audit log records is a request there: `{ requests: 1 }`), so that the counters hold
   * what training reads from the audit log. The customer's is taken back only if its count ran,
   * once its call answered, however late (not when the call failed: it may never have run; then
   * only `counts` are added).
   */
  withdraw(counts?: Partial<RiskCounts>): void;
  /**
   * `withdraw` for an attempt answered with something other than an order or a hold: left for the
   * decision's observer (riskObserver), which sends it with the decision's own count (a refused
   * request, a retry) in one update instead of two.
   */
  takeBackWithDecision(): RiskTakeBack;
}
