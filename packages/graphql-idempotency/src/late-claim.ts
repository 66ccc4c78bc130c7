import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { settleClaim } from './claim-settlement';
import type { StoreCallPolicy } from './store-call';

/** A claim the store did not answer in time, and the call that may still take it. */
export interface LateClaim {
  store: ClaimStore;
  claim: PendingClaim;
  claiming: Promise<ClaimRecord | null>;
}

/**
 * A claim that timed out may still have been taken when the store answers later: left pending,
 * its key would answer "in progress" to every repeat until the lease ends, and then run again.
 * Once it lands, it is completed with the key's record (`completed`: the result of the request that
 * ran unclaimed, or what the database answered it with), or released after a failure or a rejection
 * (null), as a claimed request's would be.
 * Never awaited by the request; `calls` is the guard's budget for each store call.
 */
export function settleLateClaim(
  late: LateClaim,
  completed: CompletedClaim | null,
  calls: StoreCallPolicy,
  scope: ClaimScope,
  lease: { retentionMs: number; leaseMs: number },
): void {
  const { store, claim } = late;
  late.claiming.then(
    (held) => {
      if (held !== null) return; // another request held the key: not this one's to settle
      void settleClaim(calls, store, scope, claim, completed, lease);
    },
    () => undefined, // never taken
  );
}
