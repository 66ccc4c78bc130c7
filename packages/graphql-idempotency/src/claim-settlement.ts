import type { ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { callStore, reportFailure } from './store-call';
import type { StoreCallPolicy, StoreCallResult } from './store-call';

/**
 * A completion the store did not take because another request's record holds the key: this
 * request's claim was no longer its own when it finished, and another claimed the key meanwhile
 * (the newer claim is never overwritten). Its claim expired (the request ran longer than its
 * lease) or was removed (a flush, an eviction, a failover that lost it): `elapsedMs` against
 * `leaseMs` says which is possible. Reported to `onStoreFailure` as a `complete`, so that it is
 * not silent: the key now stands for the other request.
 */
export class ClaimTakenOver extends Error {
  override name = 'ClaimTakenOver';

  constructor(
    message: string,
    /** How long this request held its claim before completing it (ms, by its own clock). */
    readonly elapsedMs: number,
    /** The claim's lease (ms). */
    readonly leaseMs: number,
  ) {
    super(message);
  }
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
  lease: { retentionMs: number; leaseMs: number },
): Promise<StoreCallResult<boolean>> {
  if (!completed) return callStore(calls, 'release', () => store.release(scope, claim));
  const stored = await callStore(calls, 'complete', () => store.complete(scope, claim, completed, lease.retentionMs));
  if (stored.ok && !stored.value) reportFailure(calls, 'complete', takenOver(scope, claim, lease.leaseMs));
  return stored;
}

/**
 * What is known of a claim found taken over: it was no longer this request's. The lease is blamed
 * only when the request did run longer than it; a claim lost sooner was removed (before, every
 * such warning said "make leaseMs longer", also after a FLUSHALL under requests of 2 s on a 30 s lease).
 */
function takenOver({ operation, scope, key }: ClaimScope, claim: PendingClaim, leaseMs: number): ClaimTakenOver {
  const elapsedMs = Math.max(0, Date.now() - claim.claimedAt);
  const why =
    elapsedMs >= leaseMs
      ? `its request ran ${elapsedMs} ms, longer than its lease (${leaseMs} ms), and the claim expired ` +
        '(make leaseMs longer than the mutation can take)'
      : `its claim was removed after ${elapsedMs} ms, within its lease (${leaseMs} ms): flushed, evicted or lost ` +
        'by the store (not a lease too short)';
  return new ClaimTakenOver(
    `the result of ${operation}/${scope}/${key} was not remembered: the key's claim was no longer this ` +
      `request's, and another request claimed the key meanwhile; ${why}`,
    elapsedMs,
    leaseMs,
  );
}
