import type { RedisConnection } from '../db/redis';
import { decodeClaim, encodeClaim } from './claim-store';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';

// Compare-and-set / compare-and-delete: a state change applies only while the key still holds
// exactly the claim this request wrote. A lease that expired and was claimed by another request
// is never overwritten or deleted by the first one.
const REPLACE_IF_OWNED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

const DELETE_IF_OWNED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

type ScriptedConnection = RedisConnection & {
  replaceIfOwned(key: string, expected: string, next: string, ttlMs: number): Promise<number>;
  deleteIfOwned(key: string, expected: string): Promise<number>;
};

/** Claims in Redis (standalone or Cluster); one key per (customer, idempotency key). */
export class RedisClaimStore implements ClaimStore {
  private readonly redis: ScriptedConnection;

  constructor(
    redis: RedisConnection,
    private readonly prefix: string,
  ) {
    redis.defineCommand('replaceIfOwned', { numberOfKeys: 1, lua: REPLACE_IF_OWNED });
    redis.defineCommand('deleteIfOwned', { numberOfKeys: 1, lua: DELETE_IF_OWNED });
    this.redis = redis as ScriptedConnection;
  }

  /**
   * `{...}` is a Redis Cluster hash tag: everything about one key lives in one slot. The customer
   * id is URI-encoded so that no `{`, `}` or `:` in it can change the tag or collide with a key.
   */
  keyFor(scope: ClaimScope): string {
    return `${this.prefix}:idem:{${encodeURIComponent(scope.customerId)}:${scope.key}}`;
  }

  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    // One round trip, atomic: set only if absent, and get the previous value when it was present.
    const previous = await this.redis.set(this.keyFor(scope), encodeClaim(claim), 'PX', leaseMs, 'NX', 'GET');
    return previous === null ? null : decodeClaim(previous);
  }

  async complete(scope: ClaimScope, claim: PendingClaim, completed: CompletedClaim, retentionMs: number): Promise<boolean> {
    const replaced = await this.redis.replaceIfOwned(this.keyFor(scope), encodeClaim(claim), encodeClaim(completed), retentionMs);
    return replaced === 1;
  }

  async release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    return (await this.redis.deleteIfOwned(this.keyFor(scope), encodeClaim(claim))) === 1;
  }

  async remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    await this.redis.set(this.keyFor(scope), encodeClaim(completed), 'PX', retentionMs);
  }
}
