/** How a client retries: bounded tries, exponential backoff with full jitter, server hints honoured. */
import { untilAborted } from './client-call.js';
import type { ClientCall } from './client-call.js';
import { InvalidArgumentError } from './order-gate-error.js';
import type { Interrupted, RequestFailure } from './order-gate-error.js';
import { sleepMs } from './timer.js';

export interface RetryPolicy {
  /** Tries in all, the first included. Default 5. */
  maxAttempts: number;
  /** Backoff ceiling before the second try (ms); doubles per try. Default 200. */
  baseDelayMs: number;
  /** Largest backoff ceiling (ms). Default 5 000. A server's retry hint may exceed it. */
  maxDelayMs: number;
  /**
   * Longest server or proxy retry hint (Retry-After, retryAfterMs) the SDK waits out (ms). Default
   * 30 000. A longer hint ends the call with that try's outcome (with the hint) instead of
   * sleeping: an intermediary answering `Retry-After: 86400` must not hold a checkout for a day.
   */
  maxRetryAfterMs: number;
  /** Uniform random number in [0, 1), for jitter. Default Math.random. */
  random: () => number;
  /**
   * Waits the given milliseconds; `signal` aborts when the call ends (its deadline, the caller's
   * signal): the SDK stops waiting then either way, a sleep that heeds it also frees its timer.
   * Default a setTimeout promise that heeds it (also for waits above setTimeout's 24.8 days).
   */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
  random: Math.random,
  sleep: sleepMs,
};

/**
 * The policy: DEFAULT_RETRY_POLICY with `overrides`, or an InvalidArgumentError for numbers no call
 * can follow (a caller's bug): NaN, below 0, or a fraction or 0 of tries. NaN compared false and so
 * meant tries without end (maxAttempts) or any hint waited out (maxRetryAfterMs). Infinity is "no
 * limit" where one makes sense (maxAttempts, maxDelayMs, maxRetryAfterMs).
 */
export function retryPolicyOf(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  const { maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs } = policy;
  const problems = [
    !(maxAttempts === Infinity || (Number.isInteger(maxAttempts) && maxAttempts >= 1)) &&
      `maxAttempts must be a whole number from 1 (or Infinity), not ${maxAttempts}`,
    !(Number.isFinite(baseDelayMs) && baseDelayMs >= 0) && `baseDelayMs must be 0 or more, not ${baseDelayMs}`,
    !(maxDelayMs >= 0) && `maxDelayMs must be 0 or more (or Infinity), not ${maxDelayMs}`,
    !(maxRetryAfterMs >= 0) && `maxRetryAfterMs must be 0 or more (or Infinity), not ${maxRetryAfterMs}`,
  ].filter((problem) => problem !== false);
  if (problems.length > 0) throw new InvalidArgumentError(`retry: ${problems.join('; ')}.`);
  return policy;
}

/**
 * One try's verdict: done with a value, or worth another try (with the value to give if none is
 * left). `retryAfterMs` undefined: no hint (written out for exactOptionalPropertyTypes).
 */
export type TryVerdict<T> = { done: T } | { retry: T; retryAfterMs?: number | undefined };

/**
 * The verdict on a try that failed with `failure` (`value`: what the caller gets if it stays the
 * last): Unavailable is worth another try, after its hint; a ServerError (a defect) or a Rejected
 * (a refusal) is final.
 */
export function verdictOnFailure<T>(failure: RequestFailure, value: T): TryVerdict<T> {
  return failure.kind === 'Unavailable' ? { retry: value, retryAfterMs: failure.retryAfterMs } : { done: value };
}

/**
 * The wait before try `attempt + 1`: a uniform random part of min(maxDelay, base · 2^(attempt-1))
 * ("full jitter", so that many clients failing together do not come back together), but never
 * less than the server's hint.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const backoff = policy.random() * ceiling;
  return retryAfterMs === undefined ? backoff : Math.max(retryAfterMs, backoff);
}

/**
 * Runs `tryOnce` until it is done, the tries run out, a retry hint is longer than the policy waits,
 * or `call` is interrupted (its deadline, the caller's signal: `interrupted` makes that outcome);
 * returns the last value and the tries used. A try refused UNAUTHENTICATED whose token can be
 * refreshed is sent again at once, once, beyond `maxAttempts`: it is no retry of a transient failure.
 */
export async function withRetries<T>(
  tryOnce: () => Promise<TryVerdict<T>>,
  policy: RetryPolicy,
  call: ClientCall,
  interrupted: (failure: Interrupted) => T,
): Promise<{ value: T; attempts: number }> {
  let tokenRefreshes = 0;
  for (let attempt = 1; ; attempt++) {
    const interruption = call.interruption();
    if (interruption) return { value: interrupted(interruption), attempts: attempt - 1 };
    const verdict = await tryOnce();
    if (call.takeTokenRefresh()) {
      tokenRefreshes++;
      continue;
    }
    if ('done' in verdict) return { value: verdict.done, attempts: attempt };
    if (attempt >= policy.maxAttempts + tokenRefreshes) return { value: verdict.retry, attempts: attempt };
    if ((verdict.retryAfterMs ?? 0) > policy.maxRetryAfterMs) return { value: verdict.retry, attempts: attempt };
    // The wait ends early when the call does; the loop's first check then ends the call.
    const delayMs = retryDelayMs(attempt, verdict.retryAfterMs, policy);
    await untilAborted(policy.sleep(delayMs, call.signal), call.signal, 'ended').catch(() => undefined);
  }
}
