import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { decodeClaim } from './claim-store';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { REDIS_NOT_CONNECTED } from './redis-claim-store';
import type { RedisClaimStore } from './redis-claim-store';
import { RedisTracking } from './redis-tracking';

/** Options of the tracked near cache. */
export interface TrackedNearCacheOptions {
  /** Completed records kept at most (least recently used go first). Default 10 000. */
  maxEntries?: number;
  /** Told when tracking could not be set up (it is retried); default silent. */
  onTrackingError?(error: unknown): void;
}

/** One read of a key under way: an invalidation of the key meanwhile forbids keeping what it read. */
interface Fetch {
  invalidated: boolean;
}

/**
 * The Redis claim store with this process's memory in front of `read` (what a response-level
 * replay confirms a repeat with, IdempotencyGuard.confirmRepeat), kept true by Redis itself
 * (redis-tracking.ts): a completed record read once is answered from memory until Redis says its
 * key changed, which it says to every process as it makes the change. So a record rewritten by
 * any process (`remember`: an order whose replay was dropped) is never answered from an older copy
 * once Redis has taken the rewrite, unlike NearCacheClaimStore and its ttl.
 *
 * Only completed records are kept, each no longer than its key lives in Redis (PEXPIRETIME), and
 * only while tracking is live; a claim on a key kept here is answered with it (SET NX on a
 * completed key would change nothing). Otherwise, and for every write, the store is the Redis
 * claim store as it is. The standard races: a key invalidated while its read is under way is not
 * kept; a tracking connection lost forgets everything, and a read begun before is not kept.
 */
export class TrackedNearCacheClaimStore implements ClaimStore {
  private readonly completed: LRUCache<string, CompletedClaim>;
  private readonly fetching = new Map<string, Fetch[]>();
  private readonly tracking: RedisTracking;

  constructor(
    private readonly store: RedisClaimStore,
    /** Two connections of their own to the store's (standalone) server; the subscriber with `autoResubscribe: false`. */
    connections: { reader: Redis; subscriber: Redis },
    options: TrackedNearCacheOptions = {},
  ) {
    this.completed = new LRUCache({ max: options.maxEntries ?? 10_000, ttlResolution: 0 });
    this.tracking = new RedisTracking(
      connections.reader,
      connections.subscriber,
      (keys) => this.invalidate(keys),
      (error) => options.onTrackingError?.(error),
    );
    this.tracking.start();
  }

  /** True while reads may be answered from memory (both tracking connections up and tracking on). */
  get live(): boolean {
    return this.tracking.isLive();
  }

  /**
   * A key kept here is completed in Redis as it is kept (or Redis would have said otherwise), and a
   * claim on a completed key changes nothing and answers its record: answered from memory.
   */
  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    const near = this.peek(scope);
    if (near) return near;
    const key = this.store.keyFor(scope);
    const record = await this.store.claim(scope, claim, leaseMs);
    // A repeat met its completed key on the claim connection, which Redis does not track for this
    // cache: read it once through the tracked reader, in the background, so that the next repeat
    // is answered from memory (a server without response-level replay repeats through `claim`).
    // A failed read only leaves the cache cold.
    if (record?.state === 'completed' && this.tracking.isLive() && !this.fetching.has(key))
      this.fetch(key).catch(() => undefined);
    return record;
  }

  complete(scope: ClaimScope, claim: PendingClaim, completed: CompletedClaim, retentionMs: number): Promise<boolean> {
    this.invalidate([this.store.keyFor(scope)]);
    return this.store.complete(scope, claim, completed, retentionMs);
  }

  release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    this.invalidate([this.store.keyFor(scope)]);
    return this.store.release(scope, claim);
  }

  /** Forgets the key here at once (Redis tells the other processes as it takes the write). */
  remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    this.invalidate([this.store.keyFor(scope)]);
    return this.store.remember(scope, completed, retentionMs);
  }

  /** As remember: forgotten here at once, the other processes told by Redis if it took the write. */
  replaceIfPresent(scope: ClaimScope, completed: CompletedClaim): Promise<boolean> {
    this.invalidate([this.store.keyFor(scope)]);
    return this.store.replaceIfPresent(scope, completed);
  }

  async read(scope: ClaimScope): Promise<ClaimRecord | null> {
    const key = this.store.keyFor(scope);
    if (!this.tracking.isLive()) return this.store.read(scope);
    return this.completed.get(key) ?? this.fetch(key);
  }

  /** A completed record kept here while tracking is live; undefined otherwise (Redis must be asked). */
  peek(scope: ClaimScope): ClaimRecord | undefined {
    return this.tracking.isLive() ? this.completed.get(this.store.keyFor(scope)) : undefined;
  }

  /** Stops tracking and closes its two connections (not the store's). */
  close(): void {
    this.tracking.close();
  }

  /** Reads the key through the tracked connection, and keeps a completed record unless it changed meanwhile. */
  private async fetch(key: string): Promise<ClaimRecord | null> {
    const { reader } = this.tracking;
    if (reader.status !== 'ready') throw REDIS_NOT_CONNECTED;
    const epoch = this.tracking.epoch;
    const fetch: Fetch = { invalidated: false };
    const fetches = this.fetching.get(key) ?? [];
    fetches.push(fetch);
    this.fetching.set(key, fetches);
    let text: string | null;
    let expiresAt: number;
    try {
      // One round trip (auto-pipelined or not, the two go out back to back on this connection).
      [text, expiresAt] = await Promise.all([reader.get(key), reader.call('PEXPIRETIME', key) as Promise<number>]);
    } finally {
      fetches.splice(fetches.indexOf(fetch), 1);
      if (fetches.length === 0) this.fetching.delete(key);
    }
    const record = text === null ? null : decodeClaim(text);
    if (record?.state !== 'completed' || fetch.invalidated || !this.tracking.isLive(epoch)) return record;
    // PEXPIRETIME: -1 the key never expires, -2 it is gone (then GET found nothing either).
    const ttl = expiresAt > 0 ? expiresAt - Date.now() : undefined;
    if (ttl === undefined || ttl > 0) this.completed.set(key, record, { ttl });
    return record;
  }

  private invalidate(keys: readonly string[] | null): void {
    if (keys === null) {
      this.completed.clear();
      for (const fetches of this.fetching.values()) for (const fetch of fetches) fetch.invalidated = true;
      return;
    }
    for (const key of keys) {
      this.completed.delete(key);
      for (const fetch of this.fetching.get(key) ?? []) fetch.invalidated = true;
    }
  }
}
