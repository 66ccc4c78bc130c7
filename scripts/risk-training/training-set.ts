import { HELD_AGAIN_SOURCE } from '../../src/audit/audit-record';
import { MemoryRiskFeatureStore } from '../../src/risk/memory-risk-feature-store';
import { customerSubject, sourceSubject } from '../../src/risk/risk-counters';
import type { RiskFeatureStoreOptions, SubjectCounters, SubjectUpdate } from '../../src/risk/risk-counters';
import { riskFeatures } from '../../src/risk/risk-features';
import type { CandidateMatch } from '../../src/risk/risk-features';
import { DECISION_OUTCOMES, RETRY_OUTCOMES } from './audit-history';
import type { AuditEventRow, AuditHistory, OrderComparer, OrderRow } from './audit-history';

/**
 * Replays a history in time order through the in-memory feature store and the feature function,
 * exactly as the live path would have met it, and derives each new-key attempt's label from what
 * happened later (the "observed" label: all a real deployment knows).
 *
 * Observed label of an attempt:
 * - held: a duplicate, unless the client confirmed it within `confirmGraceMs` (then it was wanted);
 * - created or flagged: a duplicate if the order was later merged or cancelled.
 */

export interface TrainingSetOptions {
  compare: OrderComparer;
  /** Window of today's rule (ms). Default 600 000. */
  staticWindowMs: number;
  /** How far back the model looks for a candidate (ms). Default 3 600 000. */
  candidateLookbackMs: number;
  /** Least similarity that makes an earlier order a candidate. Default 0.5. */
  minSimilarity: number;
  /**
   * Only orders with the same cart are candidates, as on the live path (its lookup fetches the
   * customer's orders with the new order's cart signature). Default true.
   */
  sameCartOnly: boolean;
  /** How long after a hold a confirmation counts as overruling it (ms). Default 1 800 000. */
  confirmGraceMs: number;
  store?: Partial<RiskFeatureStoreOptions>;
}

export const DEFAULT_TRAINING_SET_OPTIONS: Omit<TrainingSetOptions, 'compare'> = {
  staticWindowMs: 600_000,
  candidateLookbackMs: 3_600_000,
  minSimilarity: 0.5,
  sameCartOnly: true,
  confirmGraceMs: 1_800_000,
};

/** One new-key order attempt. */
export interface DecisionPoint {
  customerId: string;
  idempotencyKey: string;
  at: number;
  outcome: string;
  /** Today's rule: an equivalent order within the window (held or flagged). */
  staticHold: boolean;
  /** Baseline: today's rule with the model's lookback (an equivalent order within `candidateLookbackMs`). */
  lookbackHold: boolean;
  /** Baseline input: the customer confirmed (placed anyway) a held order before this attempt. */
  confirmedBefore: boolean;
  /** The model's candidate and the features, when the matcher found one within the lookback. */
  candidate: CandidateMatch | null;
  features: Float64Array | null;
  observedDuplicate: boolean;
}

export function buildTrainingSet(
  history: AuditHistory,
  options: Partial<TrainingSetOptions> & { compare: OrderComparer },
): DecisionPoint[] {
  return new Replay(history, { ...DEFAULT_TRAINING_SET_OPTIONS, ...options }).run();
}

/**
 * The counters a subject (customerSubject, sourceSubject) holds once the history is replayed, read
 * at `at`: what the live store must hold then (test/risk/counting-parity.test.ts).
 */
export function replayedCounters(
  history: AuditHistory,
  options: Partial<TrainingSetOptions> & { compare: OrderComparer },
  subject: string,
  at: number,
): SubjectCounters {
  const replay = new Replay(history, { ...DEFAULT_TRAINING_SET_OPTIONS, ...options });
  replay.run();
  return replay.countersOf(subject, at);
}

class Replay {
  private readonly store: MemoryRiskFeatureStore;
  private readonly ordersById = new Map<string, OrderRow>();
  private readonly placedByCustomer = new Map<string, OrderRow[]>();
  private readonly points: DecisionPoint[] = [];
  private readonly heldPoints: { point: DecisionPoint; relatedOrderId: string | null }[] = [];
  private readonly confirmations = new Map<string, number[]>();
  private readonly confirmedCustomers = new Set<string>();
  /** Keys already held (customer|key): a later hold of one is its request resent, not a decision. */
  private readonly heldKeys = new Set<string>();

  constructor(
    private readonly history: AuditHistory,
    private readonly options: TrainingSetOptions,
  ) {
    this.store = new MemoryRiskFeatureStore(options.store);
    for (const order of history.orders) this.ordersById.set(order.id, order);
  }

  run(): DecisionPoint[] {
    // Stable: audit rows keep their order among equal times.
    const events = [...this.history.auditEvents].sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const event of events) this.onEvent(event);
    this.labelHolds();
    return this.points;
  }

  countersOf(subject: string, at: number): SubjectCounters {
    return this.store.recordNow(subject, {}, at);
  }

  private onEvent(event: AuditEventRow): void {
    if (!event.customerId) return;
    const at = event.at.getTime();
    const order = event.orderId ? this.ordersById.get(event.orderId) : undefined;
    // A lifecycle mutation's row is no order attempt; a cancellation of a possible duplicate is a confirmed one.
    if (event.operation && event.operation !== 'createOrder') {
      if (event.operation === 'cancelOrder' && event.outcome === 'created' && order) this.onCancelled(order, at);
      return;
    }
    const subjects = [
      customerSubject(event.customerId),
      sourceSubject(event.channel ?? 'UNKNOWN', event.salesSource ?? order?.salesSource),
    ];
    const update = (counts: SubjectUpdate['counts'], arrivalId?: string) =>
      subjects.map((subject) => this.store.recordNow(subject, { counts, ...(arrivalId ? { arrivalId } : {}) }, at));
    if (this.resentHold(event)) {
      // A retry of the held attempt, as the live server counts it, and no decision: a held key sent
      // again is answered with its hold whatever the model says (src/orders/held).
      update({ requests: 1, retries: 1 });
    } else if ((DECISION_OUTCOMES as readonly string[]).includes(event.outcome)) {
      const [customer, source] = update({ requests: 1, orders: 1 }, String(event.id));
      const point = this.decisionPoint(event, order, at);
      if (point.candidate)
        point.features = riskFeatures({ customer: customer, source: source, candidate: point.candidate });
      if (event.outcome !== 'created') update({ holds: 1 });
      if (order) this.place(order);
      this.points.push(point);
    } else if (event.outcome === 'possible_duplicate_confirmed') {
      update({ requests: 1, orders: 1, overrides: 1 }, String(event.id));
      this.confirmedCustomers.add(event.customerId);
      const key = `${event.customerId}|${event.relatedOrderId}`;
      const times = this.confirmations.get(key) ?? [];
      times.push(at);
      this.confirmations.set(key, times);
      if (order) this.place(order);
    } else if ((RETRY_OUTCOMES as readonly string[]).includes(event.outcome)) {
      update({ requests: 1, retries: 1 });
    } else if (event.outcome === 'merged') {
      // As the live merge counts it (no feature reads it now; see risk-features.ts).
      update({ confirmedDuplicates: 1 });
    } else {
      update({ requests: 1 });
    }
  }

  /**
   * As the live cancelOrder counts it (src/risk/risk-observer.ts, cancellationCounter): an order
   * cancelled while it had a candidate (flagged or confirmed, or an earlier same-cart order of its
   * customer within the lookback, not cancelled by then) is a confirmed duplicate of its customer and source.
   */
  private onCancelled(order: OrderRow, at: number): void {
    const placedAt = order.createdAt.getTime();
    const earlier = (this.placedByCustomer.get(order.customerId) ?? []).some(
      (other) =>
        other.id !== order.id &&
        other.createdAt.getTime() <= placedAt &&
        placedAt - other.createdAt.getTime() <= this.options.candidateLookbackMs &&
        !(other.status === 'CANCELLED' && other.updatedAt.getTime() <= placedAt) &&
        this.options.compare(order, other).sameCart !== false,
    );
    if (order.possibleDuplicateOfId === null && !earlier) return;
    const update = { counts: { confirmedDuplicates: 1 } };
    this.store.recordNow(customerSubject(order.customerId), update, at);
    this.store.recordNow(sourceSubject(order.channel, order.salesSource), update, at);
  }

  /**
   * A hold of a key held before: its record says so (`source` HELD), or, in logs written before it
   * did, the key was held earlier in the replay.
   */
  private resentHold(event: AuditEventRow): boolean {
    if (event.outcome !== 'possible_duplicate_held') return false;
    if (event.source === HELD_AGAIN_SOURCE) return true;
    const key = `${event.customerId}|${event.idempotencyKey}`;
    if (this.heldKeys.has(key)) return true;
    this.heldKeys.add(key);
    return false;
  }

  private decisionPoint(event: AuditEventRow, order: OrderRow | undefined, at: number): DecisionPoint {
    const point: DecisionPoint = {
      customerId: event.customerId!,
      idempotencyKey: event.idempotencyKey,
      at,
      outcome: event.outcome,
      staticHold: event.outcome !== 'created',
      lookbackHold: event.outcome !== 'created',
      confirmedBefore: this.confirmedCustomers.has(event.customerId!),
      candidate: null,
      features: null,
      observedDuplicate: false,
    };
    if (event.outcome === 'possible_duplicate_held') {
      const candidate = event.relatedOrderId ? this.ordersById.get(event.relatedOrderId) : undefined;
      // The request's order was never stored: the matcher's similarity and verdict come from the
      // audit record, as the live path computed them. A record written before the similarity column
      // has none: not a row. One written before the verdict's column: similarity 1 was equivalent
      // (as the feature read it then; today's rule holds equivalent candidates only).
      if (candidate && event.similarity != null) {
        const msSinceCandidate = event.candidateAgeMs ?? at - candidate.createdAt.getTime();
        const equivalent = event.candidateEquivalent ?? event.similarity >= 1;
        point.candidate = { similarity: event.similarity, equivalent, msSinceCandidate };
      }
      this.heldPoints.push({ point, relatedOrderId: event.relatedOrderId });
      return point;
    }
    if (!order) return point;
    // The live path measures from the order's creation (the transaction's clock), not the audit write.
    const best = this.bestCandidate(order, order.createdAt.getTime());
    if (best) {
      point.candidate = { similarity: best.similarity, equivalent: best.equivalent, msSinceCandidate: best.msSince };
      point.staticHold ||= best.equivalent && best.msSince <= this.options.staticWindowMs;
      point.lookbackHold ||= best.equivalent;
    }
    point.observedDuplicate = order.mergedIntoId !== null || order.status === 'CANCELLED';
    return point;
  }

  /** The customer's most alike earlier order within the lookback (with the same cart: sameCartOnly), not cancelled by then (the latest of equals). */
  private bestCandidate(
    order: OrderRow,
    at: number,
  ): { similarity: number; equivalent: boolean; msSince: number } | null {
    let best: { similarity: number; equivalent: boolean; msSince: number } | null = null;
    const placed = this.placedByCustomer.get(order.customerId) ?? [];
    for (let i = placed.length - 1; i >= 0; i--) {
      const earlier = placed[i];
      const msSince = at - earlier.createdAt.getTime();
      if (msSince > this.options.candidateLookbackMs) break;
      if (earlier.status === 'CANCELLED' && earlier.updatedAt.getTime() <= at) continue;
      const match = this.options.compare(order, earlier);
      if (this.options.sameCartOnly && match.sameCart === false) continue;
      if (match.similarity >= this.options.minSimilarity && (!best || match.similarity > best.similarity))
        best = { ...match, msSince };
    }
    return best;
  }

  private place(order: OrderRow): void {
    const placed = this.placedByCustomer.get(order.customerId) ?? [];
    placed.push(order);
    this.placedByCustomer.set(order.customerId, placed);
  }

  /** Pairs each hold with the first unused confirmation of the same customer and candidate after it. */
  private labelHolds(): void {
    const used = new Map<string, number>();
    for (const { point, relatedOrderId } of this.heldPoints) {
      const key = `${point.customerId}|${relatedOrderId}`;
      const confirmedAt = this.confirmations.get(key) ?? [];
      let next = used.get(key) ?? 0;
      while (next < confirmedAt.length && confirmedAt[next] < point.at) next += 1;
      const confirmed = next < confirmedAt.length && confirmedAt[next] - point.at <= this.options.confirmGraceMs;
      used.set(key, confirmed ? next + 1 : next);
      point.observedDuplicate = !confirmed;
    }
  }
}
