/** The layer that recognised a repeat: the claim store, or the caller's database (the arbiter). */
export type DetectionLayer = 'CACHE' | 'DATABASE';

/** What became of one request, as the guard saw it. */
export type IdempotencyOutcome =
  /** The operation ran and its result is remembered for the key. */
  | 'created'
  /** A repeat, answered with the first request's result. */
  | 'duplicate'
  /** The key was used before with a different payload. */
  | 'reused'
  /** Another request holds the key; the client is told to retry. */
  | 'in_progress'
  /** The key is malformed. */
  | 'invalid_key'
  /** The request was turned away or failed: nothing remembered, a retry with the key may run. */
  | 'rejected';

/** How the claim store took part. */
export type ClaimState =
  /** This request claimed the key. */
  | 'claimed'
  /** The key was already held or completed. */
  | 'held'
  /** The store was slow, failing or down: the arbiter (database) decided alone. */
  | 'unavailable'
  /** Decided before any claim (malformed key, invalid request). */
  | 'none';

/** What an application adds to events (its policy's `metadata`): any JSON-like facts. */
export type EventMetadata = object;

/**
 * One decision, handed to every observer that watches its operation. It holds only what the guard
 * knows; what the application knows (a channel, a score) is in `metadata`, as its policy put it.
 */
export interface IdempotencyEvent<TMetadata extends EventMetadata = Record<string, unknown>> {
  operation: string;
  /** Who owns the key (a customer), once the request was prepared. */
  scope?: string;
  key: string;
  outcome: IdempotencyOutcome;
  /** For `duplicate`: the layer that recognised it (CACHE, DATABASE, or one the policy named). */
  layer?: string;
  claim: ClaimState;
  /** The fingerprint of the request's payload, once prepared. */
  fingerprint?: string;
  /** The resource created or repeated, when there is one. */
  resourceId?: string;
  /** For `in_progress`: the retry hint given to the client (ms). */
  retryAfterMs?: number;
  /** Time from the guard's start to its decision (ms). */
  latencyMs: number;
  at: Date;
  /** The application's facts about this request and its result (from its policy). */
  metadata: Partial<TMetadata>;
}

/** Receives the decisions of the operations it watches. It must not throw and should not block: it runs on the request path. */
export interface IdempotencyObserver<TMetadata extends EventMetadata = Record<string, unknown>, TRequest = unknown> {
  /** The operations whose decisions it receives; absent: every operation. */
  readonly operations?: readonly string[];
  onDecision(event: IdempotencyEvent<TMetadata>, request: TRequest): void;
}

/** What the guard may use of the request's context: every decision is appended when the list is there. */
export interface IdempotencyRequest {
  /** When present, every decision taken for this request is appended (HTTP layers read them for headers). */
  readonly idempotencyDecisions?: IdempotencyEvent[];
}

/** The request's list of decisions, made on its context when it has none yet (what the adapters read). */
export function decisionsOf(context: object): IdempotencyEvent[] {
  return ((context as { idempotencyDecisions?: IdempotencyEvent[] }).idempotencyDecisions ??= []);
}

/** The header that says every guarded field of the answer was a repeat (lowercase, as Node sends it). */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * The HTTP headers of the IETF draft and Stripe for a request's decisions: `Idempotent-Replayed:
 * true` when every guarded field of the answer was a repeat, `Retry-After` (seconds) when one was in
 * progress.
 */
export function idempotencyHeaders(decisions: readonly IdempotencyEvent[]): [name: string, value: string][] {
  const headers: [string, string][] = [];
  if (decisions.length > 0 && decisions.every((decision) => decision.outcome === 'duplicate'))
    headers.push([IDEMPOTENT_REPLAYED_HEADER, 'true']);
  const retryAfterMs = Math.max(0, ...decisions.map((decision) => decision.retryAfterMs ?? 0));
  if (retryAfterMs > 0) headers.push(['retry-after', String(Math.ceil(retryAfterMs / 1000))]);
  return headers;
}
