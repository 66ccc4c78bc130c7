import type { ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { callStore, reportFailure } from './store-call';
import type { StoreCallPolicy, StoreCallResult } from './store-call';

/**
 * A completion the store did not take because another request's record holds the key: this
 * request ran longer than its lease, and another claimed the key meanwhile (the newer claim is
 * never overwritten). Reported to `onStoreFailure` as a `complete`, so that it is not silent: the
 * key now stands for the other request, and the lease is shorter than this mutation can take.
 */
export class ClaimTakenOver extends Error {
  override name = 'ClaimTakenOver';
}

/**
 * Ends a claim this process took, as its request ended: completed with the key's record, or
 * released (null) after a failure or a rejection, so that a retry may run. Never throws (callStore),
 * so a settlement left to run in the background cannot fail unseen.
 */
export async function settleClaim(
  calls: StoreCallPolicy,
  store: ClaimStore,
  scope: ClaimScope,
  claim: PendingClaim,
  completed: CompletedClaim | null,
  retentionMs: number,
): Promise<StoreCallResult<boolean>> {
  if (!completed) return callStore(calls, 'release', () => store.release(scope, claim));
  const stored = await callStore(calls, 'complete', () => store.complete(scope, claim, completed, retentionMs));
  if (stored.ok && !stored.value) reportFailure(calls, 'complete', takenOver(scope));
  return stored;
}

function takenOver({ operation, scope, key }: ClaimScope): ClaimTakenOver {
  return new ClaimTakenOver(
    `the result of ${operation}/${scope}/${key} was not remembered: its request ran longer than its lease ` +
      'and another request claimed the key meanwhile (make leaseMs longer than the mutation can take)',
  );
}
