import type { Logger } from '../observability/logger';

/** The layer that recognised a repeat (the contract's DetectionSource). */
export type DetectionSource = 'CACHE' | 'DATABASE' | 'TOKEN';

/** What became of one request, as the idempotency layer saw it. */
export type IdempotencyDecision =
  /** A new resource was created. */
  | 'created'
  /** A repeat, answered with the original resource. */
  | 'duplicate'
  /** The key was used before with a different payload. */
  | 'reused'
  /** Another request holds the key; the client is told to retry. */
  | 'in_progress'
  /** The key is malformed. */
  | 'invalid_key'
  /** The request was turned away (validation, stock, token): nothing created, nothing remembered. */
  | 'rejected'
  /** Held: a different key, but equivalent to a recent order of the customer. Nothing created. */
  | 'possible_duplicate';

/** How a created resource relates to an equivalent recent one (semantic duplicate detection). */
export type SemanticMatch =
  /** Created despite the match, because the channel's policy is FLAG; marked for review. */
  | 'flagged'
  /** Created because the client confirmed a held possible duplicate. */
  | 'confirmed';

/** How the claim store took part. */
export type ClaimState =
  /** This request claimed the key. */
  | 'claimed'
  /** The key was already held or completed. */
  | 'held'
  /** The store was slow, failing or down: the database decided alone. */
  | 'unavailable'
  /** Decided before any claim (malformed key, invalid request). */
  | 'none';

/** One idempotency decision, handed to every observer (metrics, logs, audit). */
export interface IdempotencyEvent {
  decision: IdempotencyDecision;
  /** Set for `duplicate`. */
  source?: DetectionSource;
  claim: ClaimState;
  customerId?: string;
  key: string;
  fingerprint?: string;
  /** The resource created or repeated, when there is one. */
  resourceId?: string;
  /** The other resource involved: the recent equivalent one of a possible duplicate. */
  relatedResourceId?: string;
  /** Set when a created resource matched an equivalent recent one. */
  semanticMatch?: SemanticMatch;
  /** For `in_progress`: the retry hint given to the client (ms). */
  retryAfterMs?: number;
  /** The decision's audit record was already written durably, with the resource it created. */
  recorded: boolean;
  /** The sales channel the request came through, when the mutation has one. */
  channel?: string;
  /** The source within the channel (a marketplace's name, a store), when the door names one. */
  salesSource?: string;
  /** The duplicate-risk score that decided on the request (0–1), when a model did. */
  riskScore?: number;
  /** The version of the model that gave riskScore. */
  riskModelVersion?: string;
  /** The matcher's similarity of the request and the related resource it was decided against. */
  similarity?: number;
  /** Milliseconds from the related resource's creation to this request's, as the decision measured them. */
  candidateAgeMs?: number;
  /** What the risk model did or, in shadow mode, would have done (HOLD, FLAG, PASS). */
  riskAction?: string;
  /** Time from the guard's start to its decision. */
  latencyMs: number;
  at: Date;
}

/** Request facts an observer may use (the GraphQL context provides them). */
export interface IdempotencyRequest {
  requestId: string;
  logger: Logger;
  /** When present, every decision taken for this request is appended (the HTTP layer reads them for its headers). */
  readonly idempotencyDecisions?: IdempotencyEvent[];
}

/** Receives every decision. It must not throw and should not block: it runs on the request path. */
export interface IdempotencyObserver {
  onDecision(event: IdempotencyEvent, request: IdempotencyRequest): void;
}
