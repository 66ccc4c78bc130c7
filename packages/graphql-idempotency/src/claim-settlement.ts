import type { ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { callStore } from './store-call';
import type { StoreCallPolicy, StoreCallResult } from './store-call';

/**
 * Ends a claim this process took, as its request ended: completed with the key's record, or
 * released (null) after a failure or a rejection, so that a retry may run. Never throws (callStore),
 * so a settlement left to run in the background cannot fail unseen.
 */
export function settleClaim(
  calls: StoreCallPolicy,
  store: ClaimStore,
  scope: ClaimScope,
  claim: PendingClaim,
  completed: CompletedClaim | null,
  retentionMs: number,
): Promise<StoreCallResult<boolean>> {
  return completed
    ? callStore(calls, 'complete', () => store.complete(scope, claim, completed, retentionMs))
    : callStore(calls, 'release', () => store.release(scope, claim));
}
