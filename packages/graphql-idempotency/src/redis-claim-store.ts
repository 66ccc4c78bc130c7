import { decodeClaim, encodeClaim } from './claim-store';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { COMPLETE_IF_OWN_OR_FREE, withCompareAndSet } from './compare-and-set';
import type { CompareAndSetCommands, RedisLike } from './compare-and-set';
import { sendInTurnBatch } from './turn-writes';

/**
 * The Redis key of one claim: `<prefix>:<operation>:{<scope>:<key>}`. The `{…}` hash tag keeps a
 * claim's key in one Cluster slot; the scope is URI-encoded so that no `{`, `}` or `:` in it can
 * change the tag or collide with another key (valid idempotency keys contain none of `{`, `}`).
 */
export function claimStoreKey(prefix: string, scope: ClaimScope): string {
  return `${prefix}:${scope.operation}:{${encodeURIComponent(scope.scope)}:${scope.key}}`;
}

/**
 * Claims in Redis (one server or a Cluster, through ioredis); one key per (operation, scope, key).
 * The claim is one `SET NX PX GET`; every change after it is an owner-checked compare-and-set (Lua),
 * so a request whose lease expired and was claimed by another never overwrites or deletes the newer
 * claim (a completion also goes in where the key is free: see ClaimStore.complete). On one server the store's commands of an event-loop turn leave in one write (turn-writes.ts).
 */
export class RedisClaimStore implements ClaimStore {
  private readonly redis: RedisLike & CompareAndSetCommands & CompleteCommand;

  constructor(
    redis: RedisLike,
    /** Prefix of every key this store writes. Default `idem`. */
    private readonly prefix = 'idem',
  ) {
    this.redis = withCompareAndSet<CompleteCommand>(redis, { completeIfOwnOrFree: COMPLETE_IF_OWN_OR_FREE });
  }

  keyFor(scope: ClaimScope): string {
    return claimStoreKey(this.prefix, scope);
  }

  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    // Fail at once, without building a command, while the connection is down (ioredis would queue or reject it).
    if (this.redis.status !== 'ready') throw REDIS_NOT_CONNECTED;
    // One round trip, atomic: set only if absent, and get the previous value when it was present.
    const previous = await sendInTurnBatch(this.redis, () =>
      this.redis.set(this.keyFor(scope), pendingText(claim), 'PX', leaseMs, 'NX', 'GET'),
    );
    return previous === null ? null : decodeClaim(previous);
  }

  async complete(
    scope: ClaimScope,
    claim: PendingClaim,
    completed: CompletedClaim,
    retentionMs: number,
  ): Promise<boolean> {
    const replaced = await sendInTurnBatch(this.redis, () =>
      this.redis.completeIfOwnOrFree(this.keyFor(scope), pendingText(claim), encodeClaim(completed), retentionMs),
    );
    return replaced === 1;
  }

  async release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    const deleted = await sendInTurnBatch(this.redis, () =>
      this.redis.deleteIfEquals(this.keyFor(scope), pendingText(claim)),
    );
    return deleted === 1;
  }

  async remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    await sendInTurnBatch(this.redis, () =>
      this.redis.set(this.keyFor(scope), encodeClaim(completed), 'PX', retentionMs),
    );
  }

  /** One `SET KEEPTTL XX`: atomic, and nothing is written for a key Redis does not hold. */
  async replaceIfPresent(scope: ClaimScope, completed: CompletedClaim): Promise<boolean> {
    const replaced = await sendInTurnBatch(this.redis, () =>
      this.redis.set(this.keyFor(scope), encodeClaim(completed), 'KEEPTTL', 'XX'),
    );
    return replaced === 'OK';
  }

  async read(scope: ClaimScope): Promise<ClaimRecord | null> {
    if (this.redis.status !== 'ready') throw REDIS_NOT_CONNECTED;
    const text = await sendInTurnBatch(this.redis, () => this.redis.get(this.keyFor(scope)));
    return text === null ? null : decodeClaim(text);
  }
}

/** COMPLETE_IF_OWN_OR_FREE as a command: 1 when the record went in. */
interface CompleteCommand {
  completeIfOwnOrFree(key: string, expected: string, completed: string, ttlMs: number): Promise<number>;
}

/** The text each pending claim was written as (encodeClaim), made once per claim. */
const pendingTexts = new WeakMap<PendingClaim, string>();

/**
 * A pending claim's text: encoded once, when it is claimed, and reused by its completion or release,
 * whose compare-and-set must send exactly the text the claim wrote (a claim is a value: nothing
 * changes it after it is made). Saves a JSON encoding per new key.
 */
function pendingText(claim: PendingClaim): string {
  let text = pendingTexts.get(claim);
  if (text === undefined) {
    text = encodeClaim(claim);
    pendingTexts.set(claim, text);
  }
  return text;
}

/** Thrown while the connection is down: made once, no stack to build per request. */
export const REDIS_NOT_CONNECTED = Object.assign(new Error('redis is not connected'), {
  stack: 'Error: redis is not connected',
});
