import { TtlCache } from '../stores/ttl-cache';
import type { TtlCacheOptions } from '../stores/ttl-cache';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';

/**
 * Claims in this process's memory, for the embedded single-instance mode. JavaScript runs each
 * method to completion without interleaving, so every operation is atomic here, but only within
 * one process: never run several instances on it (the database still prevents duplicates, but
 * repeats would all take the database path). Memory is bounded (TtlCache).
 */
export class MemoryClaimStore implements ClaimStore {
  private readonly records: TtlCache<ClaimRecord>;

  constructor(options: TtlCacheOptions = {}) {
    this.records = new TtlCache(options);
  }

  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    const existing = this.records.get(keyOf(scope));
    if (existing) return existing;
    this.records.set(keyOf(scope), claim, leaseMs);
    return null;
  }

  async complete(
    scope: ClaimScope,
    claim: PendingClaim,
    completed: CompletedClaim,
    retentionMs: number,
  ): Promise<boolean> {
    if (!this.owns(scope, claim)) return false;
    this.records.set(keyOf(scope), completed, retentionMs);
    return true;
  }

  async release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    if (!this.owns(scope, claim)) return false;
    return this.records.delete(keyOf(scope));
  }

  async remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    this.records.set(keyOf(scope), completed, retentionMs);
  }

  /** Records held now (bounded by `maxEntries`). */
  get size(): number {
    return this.records.size;
  }

  private owns(scope: ClaimScope, claim: PendingClaim): boolean {
    const current = this.records.get(keyOf(scope));
    return current?.state === 'pending' && current.owner === claim.owner;
  }
}

function keyOf(scope: ClaimScope): string {
  return JSON.stringify([scope.customerId, scope.key]);
}
