import type { CompletedClaim } from './claim-store';
import type { SettledResource } from './policy';

/** The completed claim that remembers a resource. */
export function completedClaim(resource: SettledResource): CompletedClaim {
  return {
    state: 'completed',
    fingerprint: resource.fingerprint,
    resourceId: resource.resourceId,
    firstSeenAt: resource.firstSeenAt.getTime(),
    ...(resource.replay !== undefined ? { replay: resource.replay } : {}),
  };
}

/** The resource a completed claim remembers. */
export function settledFrom(record: CompletedClaim): SettledResource {
  return {
    resourceId: record.resourceId,
    fingerprint: record.fingerprint,
    firstSeenAt: new Date(record.firstSeenAt),
    ...(record.replay !== undefined ? { replay: record.replay } : {}),
  };
}
