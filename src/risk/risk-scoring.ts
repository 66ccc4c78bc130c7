import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import { callStore } from '../stores/store-call';
import type { StoreCallPolicy } from '../stores/store-call';
import { customerSubject, sourceSubject } from './risk-counters';
import type { RiskCounts, SubjectCounters, SubjectUpdate } from './risk-counters';
import { countersFromReply } from './risk-feature-store';
import type { CountedAtAdmission, OrderAttemptSubjects, RecordCall, RiskFeatureStore } from './risk-feature-store';
import { riskFeatures } from './risk-features';
import { scoreRisk } from './risk-model';
import type { RiskModel, RiskThresholds } from './risk-model';
import { SourceCounters } from './source-counters';
import type { RiskAssessment, RiskAttempt, RiskMode, RiskOutcome, RiskScorer, RiskSender } from './risk-assessment';

/**
 * Duplicate-risk scoring on the live path. For each new-key order attempt, `begin` counts it and
 * reads its customer's counters in one round trip to the feature store, unless the rate limit's
 * call did it already (admissionCall, RateLimitWithRisk) (its source's come from the
 * process's SourceCounters, refreshed once a second), sent as placement starts (on the next turn of the event loop) and awaited only
 * if the order transaction turns up a candidate; the answer is a scorer that works on the CPU alone. What was decided (holds, confirmations, retries) is counted
 * afterwards by riskObserver, once the answer is settled, without waiting. A store that fails or
 * answers late costs nothing but the score: today's rule decides, and the metrics count it.
 */

/** Options of live scoring. */
export interface RiskScoringOptions {
  /** Thresholds replacing the model file's (RISK_HOLD_AT_SCORE, RISK_FLAG_AT_SCORE); null: the file's. Default null. */
  thresholds: RiskThresholds | null;
  /** How far back the order transaction looks for a candidate while a model decides (ms). Default 3 600 000 (1 hour). */
  candidateLookbackMs: number;
  /** Budget of the feature store's round trip, from the start of placement, or of the rate limit's call the counters rode with (ms); past it today's rule decides. Default 25. */
  featuresTimeoutMs: number;
  /** Against an equivalent candidate placed at most this long ago (ms) a model may flag but never pass (the guard rail). Default 600 000. */
  minHoldMs: number;
  /** `decide`: the score decides; `shadow`: the model scores and is recorded, today's rule decides. Default `decide`. */
  mode: RiskMode;
}

export const DEFAULT_RISK_SCORING_OPTIONS: RiskScoringOptions = {
  thresholds: null,
  candidateLookbackMs: 3_600_000,
  featuresTimeoutMs: 25,
  minHoldMs: 600_000,
  mode: 'decide',
};

/** Why a scorer gave no score: today's rule decides. */
export type UnscorableReason = 'missing-feature' | 'non-finite-score';

/** Where the model in use comes from (RiskModelLoader). */
export interface RiskModelSource {
  current(): RiskModel | null;
}

export class DuplicateRiskScoring {
  private readonly reads: StoreCallPolicy;
  private readonly updates: StoreCallPolicy;
  private readonly sources: SourceCounters;
  /**
   * Customers' counts sent on the event loop's next turn and not yet answered (callStore never
   * rejects). A take-back waits first for its attempt's count to answer, which only the Redis
   * connection's own backstop bounds (max(1 s, 10 × its budget)): flush waits at most that long.
   */
  private readonly pendingUpdates = new Set<Promise<unknown>>();

  constructor(
    private readonly models: RiskModelSource,
    private readonly store: RiskFeatureStore,
    private readonly options: RiskScoringOptions,
    private readonly metrics: Metrics,
    logger: Logger,
  ) {
    const warn = throttledWarning(logger, "risk feature store call failed: today's rule decides");
    const policy = (timeoutMs: number): StoreCallPolicy => ({
      timeoutMs,
      onFailure(operation, error) {
        metrics.riskFeatureStoreFailures.inc({ operation });
        warn({ err: error, operation });
      },
    });
    this.reads = policy(options.featuresTimeoutMs);
    // Updates wait for nobody; the budget only bounds how long a failure takes to be counted.
    this.updates = policy(Math.max(options.featuresTimeoutMs, 1_000));
    for (const operation of ['read', 'update']) metrics.riskFeatureStoreFailures.labels({ operation }).inc(0);
    for (const reason of ['missing-feature', 'non-finite-score']) metrics.riskUnscorable.labels({ reason }).inc(0);
    this.sources = new SourceCounters(store, { read: this.reads, update: this.updates });
  }

  /** The model in use, if any. */
  model(): RiskModel | null {
    return this.models.current();
  }

  /**
   * The customer's count-and-read of a new-key attempt as a script call, for the rate limit to run
   * with its own count (one round trip instead of two); null while no model is loaded, or when the
   * store is not one Redis call can reach (process memory). Its answer goes to `begin`.
   */
  admissionCall(customerId: string, arrivalId: string, now = Date.now()): RecordCall | null {
    if (!this.models.current() || !this.store.recordCall) return null;
    return this.store.recordCall(customerSubject(customerId), { arrivalId, counts: ATTEMPT_COUNTS }, now);
  }

  /**
   * Starts scoring a new-key attempt (counts it, reads its counters); null while no model is loaded.
   * With `admitted` (the rate limit's call counted and read the customer: admissionCall) it sends
   * no call of its own for the customer.
   */
  begin(attempt: RiskAttempt, admitted?: CountedAtAdmission, now = Date.now()): RiskAssessment | null {
    // One model per request, even if a swap lands meanwhile.
    const model = this.models.current();
    if (!model) return null;
    const subjects = subjectsOf(attempt);
    const thresholds = this.options.thresholds ?? model.thresholds;
    const counts = ATTEMPT_COUNTS;
    // The round trip overlaps the transaction's. It is sent on the next turn of the event loop,
    // once this request's microtasks have sent the transaction's first statement: the CPU of
    // sending it (tens of µs) then runs while the database works, not before the statement leaves.
    // Its answer is awaited only after the transaction's lookup, a database round trip later.
    // Whether the customer's count of the attempt ran, known once its call answers, however late:
    // the rate limit's, or placement's own. Only a count that ran is ever taken back (withdraw),
    // and only after it ran: one that failed, perhaps before its script ran, would go below zero;
    // one answered past the read's budget has counted all the same (the score went without it).
    let placementCounted!: (ran: boolean) => void;
    const customerCounted = admitted
      ? admitted.counted
      : new Promise<boolean>((resolve) => (placementCounted = resolve));
    const customer = admitted
      ? Promise.resolve(this.readAtAdmission(admitted))
      : nextTurn(() =>
          callStore(this.reads, 'read', () =>
            whenRan(
              () => this.store.record(subjects.customer, { arrivalId: attempt.arrivalId, counts }, now),
              placementCounted,
            ),
          ),
        );
    const source = this.sources.read(subjects.source, counts, now);
    const unscorable = (reason: UnscorableReason) => this.metrics.riskUnscorable.inc({ reason });
    const scorer = Promise.all([customer, source]).then(([read, sourceCounters]) =>
      read.ok && sourceCounters
        ? counterScorer(model, thresholds, { customer: read.value, source: sourceCounters }, unscorable)
        : null,
    );
    // An attempt is taken back once, whichever of placement and the decision's observer asks.
    let withdrawn = false;
    const withdrawOnce = (decided: Partial<RiskCounts> = {}) => {
      if (withdrawn) return;
      withdrawn = true;
      this.withdraw(attempt, customerCounted, decided);
    };
    return {
      lookbackMs: this.options.candidateLookbackMs,
      minHoldMs: this.options.minHoldMs,
      mode: this.options.mode,
      scorer,
      settle: (outcome) => this.settle(attempt.channel, outcome),
      withdraw: withdrawOnce,
      takeBackWithDecision: () => ({ withCounts: withdrawOnce }),
    };
  }

  /** The customer's counters the rate limit's call read; as a late or failed read of its own when missing or over budget. */
  private readAtAdmission(admitted: CountedAtAdmission): { ok: true; value: SubjectCounters } | { ok: false } {
    if (admitted.reply && admitted.tookMs <= this.options.featuresTimeoutMs)
      return { ok: true, value: countersFromReply(admitted.reply) };
    // The rate limit counted its own failure; this counts the read the score went without.
    this.metrics.riskFeatureStoreFailures.inc({ operation: 'read' });
    return { ok: false };
  }

  /**
   * Adds to a sender's counters (its customer's on the next turn of the event loop, its source's
   * with the source's next refresh), without waiting. Observers call it before the answer is
   * written: the next turn sends it after, so no answer waits for the CPU of sending it either.
   */
  count(sender: RiskSender, counts: Partial<RiskCounts>): void {
    const subjects = subjectsOf(sender);
    const now = Date.now();
    this.sendCustomer(subjects.customer, { counts }, now);
    this.sources.add(subjects.source, counts, now);
  }

  /**
   * Takes an attempt back and adds `decided` in the same update: the customer's once its count
   * answered (`counted`), with the decided counts alone when it did not run; the source's at once,
   * its attempt having been counted in this process (SourceCounters).
   */
  private withdraw(attempt: RiskAttempt, counted: Promise<boolean>, decided: Partial<RiskCounts>): void {
    const subjects = subjectsOf(attempt);
    const now = Date.now();
    const takenBack: SubjectUpdate = {
      withdrawnArrivalId: attempt.arrivalId,
      counts: sumOf(WITHDRAWN_ATTEMPT, decided),
    };
    const decidedAlone = Object.values(decided).some((count) => count !== 0) ? { counts: decided } : null;
    this.sendCustomer(
      subjects.customer,
      counted.then((ran) => (ran ? takenBack : decidedAlone)),
      now,
    );
    // No arrivals are kept for sources on the live path (source-counters.ts): only the counts.
    this.sources.add(subjects.source, takenBack.counts ?? {}, now);
  }

  /** Sends an update of a customer (one known later, or none) on the event loop's next turn, without waiting. */
  private sendCustomer(subject: string, update: SubjectUpdate | Promise<SubjectUpdate | null>, now: number): void {
    const sent = Promise.resolve(update).then(
      (known) => known && nextTurn(() => callStore(this.updates, 'update', () => this.store.add(subject, known, now))),
    );
    this.pendingUpdates.add(sent);
    void sent.finally(() => this.pendingUpdates.delete(sent));
  }

  /** Writes the counts still on their way, the customers' and the sources' (at shutdown, before Redis closes). */
  async flush(): Promise<void> {
    await Promise.all([...this.pendingUpdates]);
    await this.sources.flush();
  }

  private settle(channel: string, outcome: RiskOutcome): void {
    if (!outcome.action) return;
    this.metrics.riskDecisions.inc({ outcome: outcome.action.toLowerCase(), channel, decided_by: outcome.decidedBy });
    const score = outcome.shadow ? outcome.shadow.score : outcome.score;
    if (score !== null) this.metrics.riskScores.observe({ channel }, score);
    if (outcome.shadow) {
      const model = outcome.shadow.action?.toLowerCase() ?? 'unscored';
      this.metrics.riskShadowDecisions.inc({ channel, rule: outcome.action.toLowerCase(), model });
    }
  }
}

/**
 * Counts orders later confirmed duplicates (a merge cancelled them) for their customers and
 * sources. Called by the offline merge once a group has committed. No feature reads the count
 * today (see risk-features.ts): it is kept for a model trained once cancellations are real.
 */
export async function recordConfirmedDuplicates(
  store: RiskFeatureStore,
  senders: readonly RiskSender[],
  now = Date.now(),
): Promise<void> {
  const update = { counts: { confirmedDuplicates: 1 } };
  await Promise.all(
    senders.flatMap((sender) => {
      const subjects = subjectsOf(sender);
      return [store.add(subjects.customer, update, now), store.add(subjects.source, update, now)];
    }),
  );
}

/** What a new-key attempt adds to its customer's and source's counters. */
const ATTEMPT_COUNTS: Partial<RiskCounts> = { requests: 1, orders: 1 };

/** What withdraw takes back: the attempt's counts. */
const WITHDRAWN_ATTEMPT: Partial<RiskCounts> = Object.fromEntries(
  Object.entries(ATTEMPT_COUNTS).map(([name, count]) => [name, -count]),
);

/** Two sets of increments as one. */
function sumOf(a: Partial<RiskCounts>, b: Partial<RiskCounts>): Partial<RiskCounts> {
  const sum: Partial<RiskCounts> = { ...a };
  for (const [name, count] of Object.entries(b) as [keyof RiskCounts, number][]) sum[name] = (sum[name] ?? 0) + count;
  return sum;
}

function subjectsOf(sender: RiskSender): OrderAttemptSubjects {
  return { customer: customerSubject(sender.customerId), source: sourceSubject(sender.channel, sender.salesSource) };
}

function counterScorer(
  model: RiskModel,
  thresholds: RiskThresholds,
  counters: { customer: SubjectCounters; source: SubjectCounters },
  unscorable: (reason: UnscorableReason) => void,
): RiskScorer {
  return {
    modelVersion: model.version,
    thresholds,
    score(candidate) {
      const features = riskFeatures({ customer: counters.customer, source: counters.source, candidate });
      // A counter the store did not answer (or answered as NaN, ±Infinity) must not become a score.
      if (!features.every((value) => Number.isFinite(value))) {
        unscorable('missing-feature');
        return null;
      }
      const score = scoreRisk(model, features);
      if (!Number.isFinite(score)) {
        unscorable('non-finite-score');
        return null;
      }
      return score;
    },
  };
}

/**
 * Runs a store call and tells `ran` whether it ran once it answers, however late: the caller's
 * budget (callStore) gives up waiting for the answer, a withdrawal of its count must not.
 */
function whenRan<T>(call: () => Promise<T>, ran: (ran: boolean) => void): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    ran(false);
    throw error;
  }
  pending.then(
    () => ran(true),
    () => ran(false),
  );
  return pending;
}

/** Runs `call` on the event loop's next turn (after the current request's microtasks). */
function nextTurn<T>(call: () => Promise<T>): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(call())));
}
