import { ClaimTakenOver } from './claim-settlement';

/** How often the default warning may speak for one store operation (ms). */
const WARNING_INTERVAL_MS = 10_000;

/**
 * What the guard does with a failed or late store call when the host gives no `onStoreFailure`: a
 * console warning, at most one per operation every 10 s. Silence was the default, and a store that
 * refuses every call (a wrong URL or password) then turned exactly-once off with nothing said: each
 * request runs unclaimed, its repeats decided by `findCommitted` alone.
 */
export function warnOfStoreFailures(now: () => number = Date.now): (operation: string, error: unknown) => void {
  const lastWarnedAt = new Map<string, number>();
  return (operation, error) => {
    const at = now();
    const last = lastWarnedAt.get(operation);
    if (last !== undefined && at - last < WARNING_INTERVAL_MS) return;
    lastWarnedAt.set(operation, at);
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof ClaimTakenOver) {
      console.warn(`graphql-idempotency: ${reason}.`);
      return;
    }
    console.warn(
      `graphql-idempotency: the claim store's ${operation} failed or was late (${reason}); while it fails, requests ` +
        'run unclaimed and only findCommitted tells a repeat. Pass onStoreFailure to report it your way ' +
        '(this warning repeats at most every 10 s per operation).',
    );
  };
}
