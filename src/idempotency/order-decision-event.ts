import type { IdempotencyEvent, IdempotencyObserver, IdempotencyOutcome } from 'graphql-idempotency';
import type { Logger } from '../observability/logger';

/**
 * Order Gate's side of the guard's events: the operations that create orders, and what their
 * policies add to each event (`metadata`). The guard (graphql-idempotency) knows none of this.
 */

/** The operation of every door that creates orders (GraphQL createOrder, webhooks, POS, REST): one key space. */
export const CREATE_ORDER = 'createOrder';

/** The operations whose decisions the order observers (metrics, channels, audit, risk) watch. */
export const ORDER_OPERATIONS: readonly string[] = [CREATE_ORDER];

/** How a created order relates to an equivalent recent one (semantic duplicate detection). */
export type SemanticMatch =
  /** Created despite the match, because the channel's policy is FLAG; marked for review. */
  | 'flagged'
  /** Created because the client confirmed a held possible duplicate. */
  | 'confirmed';

/** What createOrder's policy adds to its events. */
export interface OrderDecisionMetadata {
  /** The sales channel the request came through. */
  channel: string;
  /** The source within the channel (a marketplace's name, a store), when the door names one. */
  salesSource: string;
  /** Held: a different key, but equivalent to a recent order of the customer. Nothing created (outcome `rejected`). */
  possibleDuplicate: boolean;
  /** Held: a held key sent again, answered with its hold (a retry of that attempt, not a new one). */
  resentHold: boolean;
  /** Set when a created order matched an equivalent recent one. */
  semanticMatch: SemanticMatch;
  /** The other order involved: the recent equivalent one of a possible duplicate. */
  relatedResourceId: string;
  /** The duplicate-risk score that decided on the request (0–1), when a model did, and the model's version. */
  riskScore: number;
  riskModelVersion: string;
  /** The matcher's similarity of the request and the order it was decided against (0–1). */
  similarity: number;
  /** Milliseconds from that order's creation to this request's, as the decision measured them. */
  candidateAgeMs: number;
  /** Whether the matcher found that order equivalent (its verdict, not similarity 1 alone). */
  candidateEquivalent: boolean;
  /** What the risk model did or, in shadow mode, would have done (HOLD, FLAG, PASS). */
  riskAction: string;
  /** How a model took part in the decision (decide, shadow), when one was configured. */
  riskMode: string;
  /** The decision's audit record was already written durably, with the order it created. */
  recorded: boolean;
  /** The order a lifecycle mutation acts on, as its arguments name it (cancelOrder, refundOrder, …). */
  subjectOrderId: string;
  /**
   * An order attempt the duplicate-risk counters counted as it arrived that turned out to be none
   * (refused in its transaction, a repeat only the database knew): its take-back, which the risk
   * observer sends with this decision's own count, one update for both (src/risk). Not a fact
   * like the others but a callback, for this process's observers only: nothing serialises the
   * metadata whole (the audit log and the telemetry pick their fields), and JSON drops it.
   */
  riskTakeBack?: RiskTakeBack;
}

/** The take-back of an order attempt's risk count, left for its decision's count (RiskAssessment.takeBackWithDecision). */
export interface RiskTakeBack {
  /** Takes the attempt back and adds `counts` (the decision's: counter name → increment) in the same update; once. */
  withCounts(counts: Readonly<Partial<Record<string, number>>>): void;
}

/** One decision about an order, as the guard reports it with createOrder's metadata. */
export type OrderDecisionEvent = IdempotencyEvent<OrderDecisionMetadata>;

/** Order Gate's name for a decision: the guard's outcome, or `possible_duplicate` for a held order. */
export type IdempotencyDecision = IdempotencyOutcome | 'possible_duplicate';

/** The decision an order event stands for (metrics labels, audit outcomes, channel counters). */
export function decisionOf(event: OrderDecisionEvent): IdempotencyDecision {
  return event.metadata.possibleDuplicate ? 'possible_duplicate' : event.outcome;
}

/** Request facts the order observers use (the GraphQL context and the channel doors provide them). */
export interface ObservedRequest {
  requestId: string;
  logger: Logger;
  /** When present, every decision taken for this request is appended (the HTTP layer reads them for its headers). */
  readonly idempotencyDecisions?: IdempotencyEvent[];
  /**
   * Who sent it, when known before the guard reads the request (a bearer's subject, the customer a
   * door names): a decision taken before that (a malformed key, a request that does not parse) has
   * no scope of its own.
   */
  readonly viewer?: { customerId: string } | null;
}

/** An observer of the order operations' decisions. */
export type OrderObserver = IdempotencyObserver<OrderDecisionMetadata, ObservedRequest>;
