/** Why a store call gave no answer in time. */
export class StoreTimeout extends Error {
  override name = 'StoreTimeout';
}

/** A store call's outcome: its value, or the reason it has none (never thrown). */
export type StoreCallResult<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** The one timeout policy of the Redis-backed stores (claims, order tokens). */
export interface StoreCallPolicy {
  /** How long one call may take before the caller goes on without the store (ms). */
  timeoutMs: number;
  /** Told about every failed or late call (count it, log it); must not throw. */
  onFailure(operation: string, error: unknown): void;
}

/**
 * Runs one store call within the policy's budget, judged by when the store answered rather than by
 * when a timer happened to fire. A busy event loop runs its due timers before it reads the sockets:
 * a 50 ms timer that fires 60 ms late would otherwise win against a reply that arrived after 1 ms
 * and has been waiting in the socket buffer since. So a due timer looks again after the loop's I/O
 * phase (setImmediate runs after it): a reply that had arrived has been read by then and wins.
 */
export function callStore<T>(
  policy: StoreCallPolicy,
  operation: string,
  work: () => Promise<T>,
): Promise<StoreCallResult<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: StoreCallResult<T>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      if (!result.ok) reportFailure(policy, operation, result.error);
    };
    const timer = setTimeout(() => {
      setImmediate(() =>
        settle({ ok: false, error: new StoreTimeout(`store ${operation} took over ${policy.timeoutMs} ms`) }),
      );
    }, policy.timeoutMs);
    let pending: Promise<T>;
    try {
      pending = work();
    } catch (error) {
      settle({ ok: false, error });
      return;
    }
    pending.then(
      (value) => settle({ ok: true, value }),
      (error: unknown) => settle({ ok: false, error }),
    );
  });
}

/** Tells the policy of a failure; a reporter that throws must not turn a fallback into a crash. */
export function reportFailure(policy: StoreCallPolicy, operation: string, error: unknown): void {
  try {
    policy.onFailure(operation, error);
  } catch (reportError) {
    console.error('store failure report failed', reportError);
  }
}
