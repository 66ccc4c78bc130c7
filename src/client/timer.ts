/** Timers for any delay, in browsers and Node alike. */

/**
 * The longest delay setTimeout holds (2^31 − 1 ms, about 24.8 days). A longer one, or Infinity,
 * fires at once on every platform (Node warns, browsers do not): an `attemptTimeoutMs` or a
 * retry hint above it would otherwise end every try immediately instead of never.
 */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Calls `callback` after `ms` (never for Infinity); returns what cancels it. */
export function afterMs(ms: number, callback: () => void): () => void {
  if (ms === Infinity) return () => undefined;
  let handle: ReturnType<typeof setTimeout>;
  const arm = (left: number): void => {
    handle =
      left > LONGEST_TIMER_MS
        ? setTimeout(() => arm(left - LONGEST_TIMER_MS), LONGEST_TIMER_MS)
        : setTimeout(callback, left);
  };
  arm(ms);
  return () => clearTimeout(handle);
}

/** A promise that resolves after `ms`, or at once when `signal` aborts (its timer then cleared, holding nothing open). */
export function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = (): void => {
      cancel();
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    const cancel = afterMs(ms, wake);
    if (signal?.aborted) wake();
    else signal?.addEventListener('abort', wake, { once: true });
  });
}
