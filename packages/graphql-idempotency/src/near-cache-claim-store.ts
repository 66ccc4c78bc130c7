import { LRUCache } from 'lru-cache';
import { storedCopy } from './claim-store';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';

/** Options of the near cache. */
export interface NearCacheOptions {
  /** How long this process answers a completed key from memory (ms); capped by the operation's retention. */
  ttlMs: number;
  /** Completed records kept at most (least recently used go first). Default 10 000. */
  maxEntries?: number;
}

/**
 * A claim store with this process's memory in front for completed keys: a repeat of a key this
 * process has seen completed is answered without a round trip. Only completed records are kept
 * (they are final for their retention), never pending ones, so claims stay atomic in the store.
 * The price: a completed record rewritten by another process (`remember`, e.g. an application
 * dropping a stale replay) is seen here only after `ttlMs`.
 */
export class NearCacheClaimStore implements ClaimStore {
  private readonly completed: LRUCache<string, CompletedClaim>;

  constructor(
    private readonly store: ClaimStore,
    private readonly options: NearCacheOptions,
  ) {
    this.completed = new LRUCache({ max: options.maxEntries ?? 10_000, ttl: options.ttlMs, ttlResolution: 0 });
  }

  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    const near = this.peek(scope);
    if (near) return near;
    const held = await this.store.claim(scope, claim, leaseMs);
    if (held?.state === 'completed') this.completed.set(keyOf(scope), held);
    return held;
  }

  async complete(
    scope: ClaimScope,
    claim: PendingClaim,
    completed: CompletedClaim,
    retentionMs: number,
  ): Promise<boolean> {
    // What the store keeps (a snapshot taken now), not the object handed in, which its application
    // may change while the store's write is on its way.
    const snapshot = storedCopy(completed);
    const done = await this.store.complete(scope, claim, completed, retentionMs);
    if (done) this.completed.set(keyOf(scope), snapshot, { ttl: Math.min(this.options.ttlMs, retentionMs) });
    return done;
  }

  release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    return this.store.release(scope, claim);
  }

  async remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    this.completed.delete(keyOf(scope));
    await this.store.remember(scope, completed, retentionMs);
  }

  /** Forgets the key here, then asks the store (which must have replaceIfPresent). */
  async replaceIfPresent(scope: ClaimScope, completed: CompletedClaim): Promise<boolean> {
    this.completed.delete(keyOf(scope));
    if (!this.store.replaceIfPresent)
      throw new TypeError('NearCacheClaimStore.replaceIfPresent: the store behind it has no replaceIfPresent.');
    return this.store.replaceIfPresent(scope, completed);
  }

  async read(scope: ClaimScope): Promise<ClaimRecord | null> {
    const near = this.peek(scope);
    if (near || !this.store.read) return near ?? null;
    return this.store.read(scope);
  }

  /** A completed record kept here; undefined for any other key (only the store knows it). */
  peek(scope: ClaimScope): ClaimRecord | undefined {
    return this.completed.get(keyOf(scope));
  }
}

function keyOf(scope: ClaimScope): string {
  return JSON.stringify([scope.operation, scope.scope, scope.key]);
}
