import type { ClaimRecord, CompletedClaim } from './claim-store';
import type { IdempotencyEvent } from './events';
import { replayJson } from './replay-json';

/**
 * A repeat answered from a completed claim: the decision, and the claim as it was read. What a
 * response-level replay needs to check the claim again (IdempotencyGuard.confirmRepeat).
 */
export interface ClaimedRepeat {
  event: IdempotencyEvent;
  claim: CompletedClaim;
}

/** The claim behind each decision that answered a repeat from the store (see repeatOf). */
const claimsBehind = new WeakMap<IdempotencyEvent, CompletedClaim>();

/** Notes the completed claim a decision answered its repeat from (the guard, as it decides). */
export function rememberClaimBehind(event: IdempotencyEvent, claim: CompletedClaim): void {
  claimsBehind.set(event, claim);
}

/** The repeat a decision answered from a completed claim in the store; undefined for any other decision. */
export function repeatOf(event: IdempotencyEvent): ClaimedRepeat | undefined {
  const claim = claimsBehind.get(event);
  return claim && { event, claim };
}

/** The same completed claim: same resource, creation, fingerprint and replay. */
export function sameCompletedClaim(current: ClaimRecord | null, claim: CompletedClaim): boolean {
  if (current === claim) return true; // the very record (a near cache's), not a copy read since
  if (current?.state !== 'completed') return false;
  if (current.resourceId !== claim.resourceId || current.firstSeenAt !== claim.firstSeenAt) return false;
  if (current.fingerprint !== claim.fingerprint) return false;
  const { replay } = current;
  return typeof replay === 'string' || replay === undefined
    ? replay === claim.replay
    : replayJson(replay) === replayJson(claim.replay);
}
