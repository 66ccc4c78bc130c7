import type { RedisConnection } from '../redis/redis-connection';
import { assertConnected, withStoreScripts } from '../stores/redis-scripts';
import type { CompareAndSetCommands } from '../stores/redis-scripts';
import { claimKey } from '../stores/store-keys';
import { decodeClaim, encodeClaim } from './claim-store';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';

/**
 * Claims in Redis (standalone or Cluster); one key per (customer, idempotency key). Every change
 * after the claim is an owner-checked compare-and-set, so a request whose lease expired and was
 * claimed by another never overwrites or deletes the newer claim.
 */
export class RedisClaimStore implements ClaimStore {
  private readonly redis: RedisConnection & CompareAndSetCommands;

  constructor(
    redis: RedisConnection,
    private readonly prefix: string,
  ) {
    this.redis = withStoreScripts(redis);
  }

  keyFor(scope: ClaimScope): string {
    return claimKey(this.prefix, scope.customerId, scope.key);
  }

  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    assertConnected(this.redis);
    // One round trip, atomic: set only if absent, and get the previous value when it was present.
    const previous = await this.redis.set(this.keyFor(scope), encodeClaim(claim), 'PX', leaseMs, 'NX', 'GET');
    return previous === null ? null : decodeClaim(previous);
  }

  async complete(
    scope: ClaimScope,
    claim: PendingClaim,
    completed: CompletedClaim,
    retentionMs: number,
  ): Promise<boolean> {
    return (
      (await this.redis.replaceIfEquals(
        this.keyFor(scope),
        encodeClaim(claim),
        encodeClaim(completed),
        retentionMs,
      )) === 1
    );
  }

  async release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    return (await this.redis.deleteIfEquals(this.keyFor(scope), encodeClaim(claim))) === 1;
  }

  async remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    await this.redis.set(this.keyFor(scope), encodeClaim(completed), 'PX', retentionMs);
  }
}
