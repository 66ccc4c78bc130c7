import type { IdempotencyObserver } from './events';

/** Options of the guard. */
export interface IdempotencyGuardOptions {
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
  observers?: readonly IdempotencyObserver<never, never>[];
  /** Told of every store call that failed or was late (`operation` is claim, complete, release or remember). */
  onStoreFailure?(operation: string, error: unknown): void;
  /** Told when an observer throws (the decision stands). Default: console.error. */
  onObserverError?(error: unknown): void;
}
