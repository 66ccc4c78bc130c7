/**
 * One SDK call from start to outcome, across its tries: its overall deadline, the caller's
 * AbortSignal, and its one token refresh. No Node APIs: AbortController and timers only.
 */
import { InvalidArgumentError } from './order-gate-error.js';
import type { Interrupted } from './order-gate-error.js';
import { afterMs } from './timer.js';

/** Per-call options every call takes. */
export interface CallOptions {
  /**
   * How long the whole call may take, every try and every wait between tries included (ms, above 0;
   * Infinity for no limit). Past it the try in flight is aborted and the call ends with the failure
   * `Interrupted` (code DEADLINE_EXCEEDED) and its key. Default: the client's `deadlineMs`.
   */
  deadlineMs?: number;
  /** Aborting it ends the call the same way, with code ABORTED (e.g. the shopper left the page). */
  signal?: AbortSignal;
}

/** The client's default `deadlineMs`: three tries that each run out the default `attemptTimeoutMs` (15 s). */
export const DEFAULT_DEADLINE_MS = 45_000;

/** Throws InvalidArgumentError for a deadline no call can keep (a caller's bug): 0, below 0, NaN. */
export function checkDeadline(deadlineMs: number | undefined): void {
  if (deadlineMs !== undefined && !(deadlineMs > 0)) {
    throw new InvalidArgumentError(`deadlineMs must be above 0 (Infinity for no limit), not ${deadlineMs}.`);
  }
}

/** A call under way. */
export interface ClientCall {
  /** Aborts when the call is interrupted: every try and every wait of the call listen to it. */
  readonly signal: AbortSignal;
  /** Why the call was ended before its outcome, once it was. */
  interruption(): Interrupted | undefined;
  /** Whether the next token is asked for because the server refused the last one (the provider's `refresh`). */
  readonly refreshingToken: boolean;
  /** Notes that the `authToken` function gave a token (a refresh asked for is then made). */
  tokenGiven(): void;
  /** Notes that the server answered UNAUTHENTICATED to the try just made. */
  tokenRefused(): void;
  /**
   * Whether to send again at once with a fresh token: the last try was refused UNAUTHENTICATED, the
   * token comes from a function, and this call has not refreshed it yet (once per call, not a loop).
   */
  takeTokenRefresh(): boolean;
  /** Stops the deadline's timer and stops listening to the caller's signal. */
  end(): void;
}

/** Starts a call bounded by `deadlineMs` and the caller's `signal`; `tokenFromFunction`: the token can be refreshed. */
export function startCall(deadlineMs: number, signal: AbortSignal | undefined, tokenFromFunction: boolean): ClientCall {
  const controller = new AbortController();
  let interruption: Interrupted | undefined;
  const interrupt = (failure: Interrupted): void => {
    if (interruption) return;
    interruption = failure;
    controller.abort();
  };
  const onAbort = (): void =>
    interrupt({ kind: 'Interrupted', code: 'ABORTED', message: 'The call was aborted by its signal.' });
  const cancelDeadline = afterMs(deadlineMs, () =>
    interrupt({
      kind: 'Interrupted',
      code: 'DEADLINE_EXCEEDED',
      message: `No outcome within the deadline of ${deadlineMs} ms.`,
    }),
  );
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  let refused = false;
  // 'asking' until the function gives a token: a refresh that failed (its server unreachable) is asked again on the next try.
  let refresh: 'available' | 'asking' | 'spent' = tokenFromFunction ? 'available' : 'spent';
  return {
    signal: controller.signal,
    interruption: () => interruption,
    get refreshingToken() {
      return refresh === 'asking';
    },
    tokenGiven: () => {
      if (refresh === 'asking') refresh = 'spent';
    },
    tokenRefused: () => {
      refused = true;
    },
    takeTokenRefresh: () => {
      const take = refused && refresh === 'available';
      refused = false;
      if (take) refresh = 'asking';
      return take;
    },
    end: () => {
      cancelDeadline();
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** What `work` gives, or a rejection with `whenAborted` once `signal` aborts first, whether or not `work` heeds it. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, whenAborted: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error(whenAborted));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
