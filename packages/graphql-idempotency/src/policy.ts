import type { ClaimScope } from './claim-store';
import type { DetectionLayer, IdempotencyOutcome } from './events';
import { idempotencyKeyProblem } from './key';

/** A resource that a key's request created, as remembered for repeats. */
export interface SettledResource {
  resourceId: string;
  fingerprint: string;
  firstSeenAt: Date;
  /**
   * The answer a repeat gets, as the policy wrote it down (a JSON value kept with the completed
   * claim), so that a repeat needs no database read. Absent when the policy must read it again.
   */
  replay?: unknown;
}

/** A request ready to be claimed: whose key it is, and what it asks for. */
export interface PreparedRequest {
  /** Who owns the key (a customer id); '' when the operation has one shared key space. */
  scope: string;
  /** The payload's fingerprint (fingerprintOf its canonical form): the same key with another payload is `reused`. */
  fingerprint: string;
  /** The application's facts for observers (a channel, a source), merged into every event's metadata. */
  metadata?: object;
}

/**
 * A request that must not run, and its answer (`reject`). With the scope and the payload's
 * fingerprint (the one `prepare` gives a valid payload, of the same canonical form), the key is
 * looked up first: the rules may have been tightened since the key's first request, whose retry
 * gets its first answer (or `reused` for another payload); only a key that stands for nothing gets
 * `reject`. Nothing is claimed or stored for a rejected request. `metadata`, as a prepared request's,
 * goes with the events of a repeat answered this way.
 */
export type RejectedRequest<TResult> =
  { reject: TResult } | ({ reject: TResult } & Pick<PreparedRequest, 'scope' | 'fingerprint' | 'metadata'>);

/** What the resolver's result means: the outcome, and the resource to remember if any. */
export interface ResultOutcome {
  outcome: IdempotencyOutcome;
  /** For `duplicate`: the layer that recognised it (the policy's own, e.g. a token). */
  layer?: string;
  /** Set when the key now stands for this resource (created, or found as a duplicate): only then is it remembered. */
  resource?: SettledResource;
  /** For `in_progress`: the retry hint given to the client (ms). */
  retryAfterMs?: number;
  /** The application's facts about the result, merged into the event's metadata. */
  metadata?: object;
}

/** An answer the guard needs in the operation's own result type (or thrown as an error). */
export type GuardAnswer =
  /** A repeat: answer with the first request's resource; null when it no longer exists (the request then runs). */
  | { outcome: 'duplicate'; layer: DetectionLayer; resource: SettledResource; scope: ClaimScope }
  /** The key was used before with another payload. */
  | { outcome: 'reused'; scope: ClaimScope }
  /** Another request holds the key: retry after `retryAfterMs`. */
  | { outcome: 'in_progress'; scope: ClaimScope; retryAfterMs: number }
  /** The key is malformed (`message` says why). */
  | { outcome: 'invalid_key'; key: string; message: string };

/**
 * What a policy's `answer` returns for a repeat whose remembered answer is null itself (a mutation
 * that returned nothing): a plain null says the resource is gone, and the request then runs again.
 */
export const NULL_ANSWER: unique symbol = Symbol('graphql-idempotency: null answer');

/** A request the guard lets run: what it prepared, and how the claim store took part. */
export interface GuardedAttempt<TPrepared extends PreparedRequest = PreparedRequest> {
  prepared: TPrepared;
  /** Where the claim lives: operation, scope and key. */
  scope: ClaimScope;
  /** `claimed`: this request holds the key; `unavailable`: the store could not say, the database decides. */
  claim: 'claimed' | 'unavailable';
  /** The request's id (the context's `requestId`, else a random one), for records written with the resource. */
  requestId: string;
  /** performance.now() when the guard started. */
  startedAt: number;
}

/**
 * How one mutation takes part in idempotency: how to read its request, what its result means, where
 * its database keeps what committed, and how to answer in its own result type. The guard knows
 * nothing else of it.
 */
export interface IdempotencyPolicy<TArgs, TContext, TResult, TPrepared extends PreparedRequest = PreparedRequest> {
  /** The operation's name: claims and events are scoped by it. */
  readonly operation: string;
  /** The argument that carries the key when no `@idempotent(key:)` directive does. Default `idempotencyKey`. */
  readonly keyArgument?: string;
  /** How long a claim holds the key if its request never finishes (ms); default the guard's. */
  readonly leaseMs?: number;
  /** How long a completed key answers from the store (ms); default the guard's. */
  readonly retentionMs?: number;
  /**
   * Checks the request and prepares it (parsed once, fingerprinted), or returns the answer for a
   * request that must not run (RejectedRequest). `key` is the call's key, valid, from its argument
   * or its `@idempotent(key:)` directive: read it here, not from `args`.
   */
  prepare(args: TArgs, context: TContext, key: string): TPrepared | RejectedRequest<TResult>;
  /** Classifies the resolver's result. Only a result with a `resource` is remembered. */
  outcomeOf(result: TResult, attempt: GuardedAttempt<TPrepared>): ResultOutcome;
  /**
   * The arbiter: the resource the database holds for this key, if its request has committed (with
   * its replay when one read can give it). Asked when the store cannot say, and before telling a
   * client to wait for a claim whose owner may have committed and died.
   */
  findCommitted(scope: ClaimScope, context: TContext): Promise<SettledResource | null>;
  /**
   * The answer for a repeat, a reused or in-progress key, or a malformed one (it may also throw).
   * null for a repeat whose resource is gone: the request runs again. NULL_ANSWER answers null.
   */
  answer(
    answer: GuardAnswer,
    context: TContext,
  ): TResult | null | typeof NULL_ANSWER | Promise<TResult | null | typeof NULL_ANSWER>;
  /**
   * The application's facts about an answer `answer` gave for a repeat, a reused or in-progress
   * key (what it found: the resource as it is now), merged into the event's metadata as
   * `outcomeOf`'s are into a result's. Absent: the prepared request's metadata alone.
   */
  answerMetadata?(result: TResult): object | undefined;
  /**
   * Runs just before a request that will create something new executes (it won a fresh claim, or
   * runs unclaimed); repeats never reach it. It may throw to turn the request away (rate limit):
   * the claim is then released, so a later retry with the same key can run.
   */
  admit?(scope: ClaimScope, context: TContext, args: TArgs): Promise<void>;
}

/** The key from the policy's key argument (`idempotencyKey` by default); '' when absent or not a string (then invalid). */
export function keyArgumentOf(policy: { readonly keyArgument?: string }, args: unknown): string {
  const value = keyArgumentValue(policy, args);
  return typeof value === 'string' ? value : '';
}

/**
 * Why the call's key is not acceptable, or null. A key argument sent as another type (a schema
 * that declares it `Int`) is no key to the guard, but the client did send one: it is told the key
 * must be a string, not that a key is required.
 */
export function callKeyProblem(policy: { readonly keyArgument?: string }, args: unknown, key: string): string | null {
  const value = keyArgumentValue(policy, args);
  if (key === '' && value !== undefined && value !== null && typeof value !== 'string')
    return 'The idempotency key must be a string (8 to 255 characters).';
  return idempotencyKeyProblem(key);
}

function keyArgumentValue(policy: { readonly keyArgument?: string }, args: unknown): unknown {
  return (args as Record<string, unknown> | null)?.[policy.keyArgument ?? 'idempotencyKey'];
}
