import type { ClaimRecord, ClaimScope, ClaimStore } from './claim-store';
import type { DecisionReporter, DecisionSubject } from './decisions';
import type { IdempotencyRequest } from './events';
import { sameCompletedClaim } from './repeats';
import type { ClaimedRepeat } from './repeats';
import { settledFrom } from './settled-resource';
import { callStore } from './store-call';
import type { StoreCallPolicy } from './store-call';

/**
 * IdempotencyGuard.confirmRepeat's work: reads the key's claim again (from the store's memory when
 * it keeps one, else one silent store read) and, when it is still `repeat`'s completed claim,
 * reports the repeat as every repeat is reported and answers true. Answers at once (not a
 * promise) when the store's memory knows.
 */
export function confirmClaimedRepeat(
  store: ClaimStore,
  reads: StoreCallPolicy,
  decisions: DecisionReporter,
  repeat: ClaimedRepeat,
  context: IdempotencyRequest,
): boolean | Promise<boolean> {
  const startedAt = performance.now();
  const { event } = repeat;
  if (event.scope === undefined || event.fingerprint === undefined) return false;
  const scope: ClaimScope = { operation: event.operation, scope: event.scope, key: event.key };
  const record = (current: ClaimRecord | null) => recordRepeat(decisions, repeat, current, context, startedAt);
  const known = store.peek?.(scope);
  if (known !== undefined) return record(known);
  if (!store.read) return false;
  // Silent on failure: the request then runs, and its own claim reports the store's trouble.
  return callStore(reads, 'read', () => store.read!(scope)).then((current) => current.ok && record(current.value));
}

/** Reports `repeat` as answered again when `current` is still its claim. */
function recordRepeat(
  decisions: DecisionReporter,
  repeat: ClaimedRepeat,
  current: ClaimRecord | null,
  context: IdempotencyRequest,
  startedAt: number,
): boolean {
  const { event, claim } = repeat;
  if (!sameCompletedClaim(current, claim)) return false;
  const subject: DecisionSubject<unknown> = {
    policy: { operation: event.operation },
    context,
    startedAt,
    key: event.key,
    prepared: { scope: event.scope!, fingerprint: event.fingerprint!, metadata: event.metadata },
  };
  decisions.report(subject, { outcome: 'duplicate', layer: 'CACHE', resource: settledFrom(claim) }, 'held', claim);
  return true;
}
