import { LRUCache } from 'lru-cache';

/** Options of an in-process store's memory. */
export interface TtlCacheOptions {
  /** Entries kept at most; beyond it the least recently used go first. Default 100 000. */
  maxEntries?: number;
  /** The clock, epoch milliseconds (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
}

/** Entries an in-process store keeps by default: bounds the embedded mode's memory. */
export const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * The in-process stand-in for Redis keys with a TTL, used by the embedded mode's stores: a bounded
 * LRU cache (lru-cache) with a TTL per entry. An entry reads as absent once more than its TTL has
 * passed (lru-cache's rule; Redis expires at the TTL itself, a millisecond sooner). The bound keeps memory
 * flat however many keys a long-running process sees; an entry evicted early only sends its next
 * repeat down the database path, which decides duplicates anyway.
 */
export class TtlCache<V extends object> {
  private readonly cache: LRUCache<string, V>;
  private readonly now: () => number;

  constructor(options: TtlCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    // ttlResolution 0: read the clock at every check (lru-cache otherwise caches it for 1 ms of real time).
    this.cache = new LRUCache<string, V>({
      max: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
      ttlResolution: 0,
      perf: { now: this.now },
    });
  }

  get(key: string): V | undefined {
    return this.cache.get(key);
  }

  /** Sets the value for `ttlMs` milliseconds from now. */
  set(key: string, value: V, ttlMs: number): void {
    if (ttlMs <= 0) this.cache.delete(key);
    else this.cache.set(key, value, { ttl: ttlMs });
  }

  /** Sets the value until `expiresAt` (epoch milliseconds). */
  setUntil(key: string, value: V, expiresAt: number): void {
    this.set(key, value, expiresAt - this.now());
  }

  /** Replaces a live entry's value and keeps its expiry (Redis's KEEPTTL); false if there is none. */
  replace(key: string, value: V): boolean {
    if (this.cache.get(key) === undefined) return false;
    this.cache.set(key, value, { noUpdateTTL: true });
    return true;
  }

  delete(key: string): boolean {
    return this.cache.delete(key);
  }

  /** Entries held now (expired ones not yet read may still count). */
  get size(): number {
    return this.cache.size;
  }
}
