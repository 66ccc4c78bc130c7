import { storedCopy } from './claim-store';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';

/** Options of the in-memory claim store. */
export interface MemoryClaimStoreOptions {
  /**
   * Records kept at most. Beyond it the least recently used completed record goes first; a pending
   * claim within its lease is never evicted (see MemoryClaimStoreFull). Default 100 000.
   */
  maxEntries?: number;
  /** The clock, epoch milliseconds (tests pass a fake one). Default `Date.now`. */
  now?: () => number;
}

/**
 * Thrown (a store failure) by a claim or remember that needs room while every record held is a
 * pending claim within its lease. Evicting one would let a duplicate run beside its request, so
 * the guard runs this request unclaimed instead: your findCommitted decides, and your unique index
 * stops a second write.
 */
export class MemoryClaimStoreFull extends Error {
  override name = 'MemoryClaimStoreFull';
}

interface Entry {
  record: ClaimRecord;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * Claims in this process's memory, for a single instance. JavaScript runs each method to completion
 * without interleaving, so every operation is atomic here, but only within one process: never run
 * several instances on it (the arbiter still prevents duplicates, but repeats would all take its
 * path). Memory is bounded (`maxEntries`, a TTL per record). To make room the least recently used
 * completed record is forgotten, never a pending claim within its lease: the request holding it
 * still runs, and its repeats must be told so. A completed record forgotten early is as a key never
 * seen: its next repeat claims the key and runs again (the guard asks findCommitted only when the
 * store cannot answer or the key is held, never for a fresh claim), so your database's unique index
 * is what stops that second write. Size `maxEntries` above what `retentionMs` holds at your peak
 * rate of new keys. When every record is a live pending claim, a claim needing room is refused
 * (MemoryClaimStoreFull): the guard then asks findCommitted and runs unclaimed.
 */
export class MemoryClaimStore implements ClaimStore {
  /** Records by key, least recently used first (a Map keeps insertion order; a use re-inserts). */
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryClaimStoreOptions = {}) {
    const { maxEntries = 100_000 } = options;
    // Number() of an unset variable is NaN: every claim would find the store full, and run unclaimed.
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new TypeError(
        `MemoryClaimStore: maxEntries must be a whole number, 1 or more (got ${String(maxEntries)}).`,
      );
    this.maxEntries = maxEntries;
    this.now = options.now ?? Date.now;
  }

  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    const existing = this.get(keyOf(scope));
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
    // Ours, or free (ClaimStore.complete): never over another request's record.
    const current = this.get(keyOf(scope));
    if (current && !isOwnClaim(current, claim)) return false;
    this.put(scope, storedCopy(completed), retentionMs);
    return true;
  }

  async release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    if (!isOwnClaim(this.get(keyOf(scope)), claim)) return false;
    return this.entries.delete(keyOf(scope));
  }

  async remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    this.put(scope, storedCopy(completed), retentionMs);
  }

  async replaceIfPresent(scope: ClaimScope, completed: CompletedClaim): Promise<boolean> {
    const key = keyOf(scope);
    if (!this.get(key)) return false; // an expired record is dropped here, as absent
    this.entries.get(key)!.record = storedCopy(completed);
    return true;
  }

  async read(scope: ClaimScope): Promise<ClaimRecord | null> {
    return this.peek(scope);
  }

  /** The store is this memory: it always knows. */
  peek(scope: ClaimScope): ClaimRecord | null {
    return this.get(keyOf(scope)) ?? null;
  }

  /** Records held now (bounded by `maxEntries`; expired ones count until they are next looked at). */
  get size(): number {
    return this.entries.size;
  }

  /** The live record of a key, marked as just used; an expired one is dropped. */
  private get(key: string): ClaimRecord | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.record;
  }

  /** Sets the record for `ttlMs` (0 or less: already expired), making room first for a new key. */
  private put(scope: ClaimScope, record: ClaimRecord, ttlMs: number): void {
    const key = keyOf(scope);
    const replaced = this.entries.delete(key);
    if (ttlMs <= 0) return;
    if (!replaced) this.makeRoom();
    this.entries.set(key, { record, expiresAt: this.now() + ttlMs });
  }

  /**
   * Frees one place when the store is full: expired records go, then the least recently used
   * completed one. Throws when only live pending claims are left (see MemoryClaimStoreFull). The
   * walk passes over pending claims, which are few and recent in a store sized for its retention.
   */
  private makeRoom(): void {
    if (this.entries.size < this.maxEntries) return;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
      else if (entry.record.state === 'completed') {
        this.entries.delete(key);
        return;
      }
      if (this.entries.size < this.maxEntries) return;
    }
    throw new MemoryClaimStoreFull(
      `The memory claim store holds ${this.entries.size} claims still running (maxEntries): none can be evicted.`,
    );
  }
}

function isOwnClaim(record: ClaimRecord | undefined, claim: PendingClaim): boolean {
  return record?.state === 'pending' && record.owner === claim.owner;
}

function keyOf(scope: ClaimScope): string {
  return JSON.stringify([scope.operation, scope.scope, scope.key]);
}
