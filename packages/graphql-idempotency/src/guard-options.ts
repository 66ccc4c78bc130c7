import type { EventMetadata, IdempotencyObserver } from './events';

/**
 * Options of the guard. `TMetadata` and `TRequest` type the observers' events and requests; the
 * guard infers them (`new IdempotencyGuard<TMetadata, TRequest>(…)` names them). Left out, as in an
 * object typed `IdempotencyGuardOptions`, any observer is accepted.
 */
export interface IdempotencyGuardOptions<TMetadata extends EventMetadata = never, TRequest = never> {
  /** How long a claim holds the key if its request never finishes (ms). Must outlive the slowest request. */
  leaseMs: number;
  /** How long a completed key answers from the store (ms). */
  retentionMs: number;
  /** The retry hint for requests that find the key in progress (ms), capped by the lease left. */
  retryAfterMs: number;
  /** How long one store call may take before the database path takes over (ms). */
  storeTimeoutMs: number;
  /**
   * Answer without waiting for the claim's completion or release. They are sent before the answer,
   * so this process's next call with the key (on the same connection) sees them; another process
   * may for a moment still find the claim pending and ask findCommitted (or be told to retry).
   * Saves one store round trip per new key. Default false.
   */
  settleInBackground?: boolean;
  /**
   * How long a repeat may wait for its key's first request when that request runs in this same
   * process (ms, from the repeat's arrival). The repeat then gets the first answer as soon as it
   * exists, instead of "in progress, retry after"; if the first request fails, the repeat runs, as
   * the client's retry would. Past the wait, or when the first request runs elsewhere, the repeat
   * is told it is in progress. Default 0: never waits.
   */
  repeatWaitMs?: number;
  /** Who hears of every decision (each of the operations it watches). */
  observers?: readonly IdempotencyObserver<TMetadata, TRequest>[];
  /**
   * Told of every store call that failed or was late (`operation` is claim, complete, release or
   * remember). Default: a console warning, at most one per operation every 10 s.
   */
  onStoreFailure?(operation: string, error: unknown): void;
  /** Told when an observer throws (the decision stands). Default: console.error. */
  onObserverError?(error: unknown): void;
}

/** setTimeout's longest delay: a longer one fires at once (Node warns, TimeoutOverflowWarning). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Refuses options that would silently turn the guard off. Redis refuses a lease or retention that is
 * not a whole number of milliseconds (`PX`), and the guard takes a store that fails for one that is
 * down: every call would run unclaimed, repeats included, with nothing said (onStoreFailure is
 * optional). A missing or overlong storeTimeoutMs times every store call out at once, as setTimeout
 * does. Plain JavaScript reaches these without a type error, so the guard checks them itself.
 */
export function checkGuardOptions(options: IdempotencyGuardOptions | undefined): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      'IdempotencyGuard: options are required ({ leaseMs, retentionMs, retryAfterMs, storeTimeoutMs }).',
    );
  checkMs('IdempotencyGuard', 'leaseMs', options.leaseMs, { integer: true, min: 1 });
  checkMs('IdempotencyGuard', 'retentionMs', options.retentionMs, { integer: true, min: 1 });
  checkMs('IdempotencyGuard', 'retryAfterMs', options.retryAfterMs, { min: 0 });
  checkMs('IdempotencyGuard', 'storeTimeoutMs', options.storeTimeoutMs, { min: 1, max: MAX_TIMER_MS });
  if (options.repeatWaitMs !== undefined)
    checkMs('IdempotencyGuard', 'repeatWaitMs', options.repeatWaitMs, { min: 0, max: MAX_TIMER_MS });
}

/** Throws a TypeError naming the option unless `value` is a number of milliseconds within bounds. */
export function checkMs(
  owner: string,
  name: string,
  value: unknown,
  bounds: { integer?: boolean; min: number; max?: number },
): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!bounds.integer || Number.isInteger(value)) &&
    value >= bounds.min &&
    value <= (bounds.max ?? Number.MAX_SAFE_INTEGER);
  if (ok) return;
  const kind = bounds.integer ? 'a whole number of milliseconds' : 'a number of milliseconds';
  const range = bounds.max === undefined ? `${bounds.min} or more` : `from ${bounds.min} to ${bounds.max}`;
  const shown = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? typeof value);
  const got = value === undefined ? 'missing' : `got ${shown}`;
  throw new TypeError(`${owner}: ${name} must be ${kind}, ${range} (${got}).`);
}

/** How long a claim of the operation holds its key (ms): its policy's lease, else the guard's. */
export function leaseMsOf(policy: { readonly leaseMs?: number }, options: IdempotencyGuardOptions): number {
  return policy.leaseMs ?? options.leaseMs;
}

/** How long the operation's completed keys answer from the store (ms): its policy's retention, else the guard's. */
export function retentionMsOf(policy: { readonly retentionMs?: number }, options: IdempotencyGuardOptions): number {
  return policy.retentionMs ?? options.retentionMs;
}
