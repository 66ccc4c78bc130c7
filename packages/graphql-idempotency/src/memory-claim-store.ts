import { LRUCache } from 'lru-cache';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';

/** Options of the in-memory claim store. */
export interface MemoryClaimStoreOptions {
  /** Records kept at most; beyond it the least recently used go first. Default 100 000. */
  maxEntries?: number;
  /** The clock, epoch milliseconds (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
}

/**
 * Claims in this process's memory, for a single instance. JavaScript runs each method to completion
 * without interleaving, so every operation is atomic here, but only within one process: never run
 * several instances on it (the arbiter still prevents duplicates, but repeats would all take its
 * path). Memory is bounded (an LRU with a TTL per record); a record evicted early only sends its next
 * repeat to the arbiter.
 */
export class MemoryClaimStore implements ClaimStore {
  private readonly records: LRUCache<string, ClaimRecord>;

  constructor(options: MemoryClaimStoreOptions = {}) {
    const now = options.now ?? Date.now;
    // ttlResolution 0: read the clock at every check (lru-cache otherwise caches it for 1 ms of real time).
    this.records = new LRUCache({ max: options.maxEntries ?? 100_000, ttlResolution: 0, perf: { now } });
  }

  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    const existing = this.records.get(keyOf(scope));
    if (existing) return existing;
    this.put(scope, claim, leaseMs);
    return null;
  }

  async complete(
    scope: ClaimScope,
    claim: PendingClaim,
    completed: CompletedClaim,
    retentionMs: number,
  ): Promise<boolean> {
    if (!this.owns(scope, claim)) return false;
    this.put(scope, completed, retentionMs);
    return true;
  }

  async release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    if (!this.owns(scope, claim)) return false;
    return this.records.delete(keyOf(scope));
  }

  async remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    this.put(scope, completed, retentionMs);
  }

  async read(scope: ClaimScope): Promise<ClaimRecord | null> {
    return this.peek(scope);
  }

  /** The store is this memory: it always knows. */
  peek(scope: ClaimScope): ClaimRecord | null {
    return this.records.get(keyOf(scope)) ?? null;
  }

  /** Records held now (bounded by `maxEntries`). */
  get size(): number {
    return this.records.size;
  }

  /** Sets the record for `ttlMs`; a TTL of 0 or less means already expired (lru-cache would keep it forever). */
  private put(scope: ClaimScope, record: ClaimRecord, ttlMs: number): void {
    if (ttlMs <= 0) this.records.delete(keyOf(scope));
    else this.records.set(keyOf(scope), record, { ttl: ttlMs });
  }

  private owns(scope: ClaimScope, claim: PendingClaim): boolean {
    const current = this.records.get(keyOf(scope));
    return current?.state === 'pending' && current.owner === claim.owner;
  }
}

function keyOf(scope: ClaimScope): string {
  return JSON.stringify([scope.operation, scope.scope, scope.key]);
}
