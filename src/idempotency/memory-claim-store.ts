import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';

const SWEEP_EVERY_WRITES = 1_000;

interface Entry {
  record: ClaimRecord;
  expiresAt: number;
}

/**
 * Claims in this process's memory, for the embedded single-instance mode. JavaScript runs each
 * method to completion without interleaving, so every operation is atomic here, but only within
 * one process: never run several instances on it (the database still prevents duplicates, but
 * repeats would all take the database path).
 */
export class MemoryClaimStore implements ClaimStore {
  private readonly entries = new Map<string, Entry>();
  private writesSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
    const existing = this.read(scope);
    if (existing) return existing;
    this.write(scope, claim, leaseMs);
    return null;
  }

  async complete(scope: ClaimScope, claim: PendingClaim, completed: CompletedClaim, retentionMs: number): Promise<boolean> {
    if (!this.owns(scope, claim)) return false;
    this.write(scope, completed, retentionMs);
    return true;
  }

  async release(scope: ClaimScope, claim: PendingClaim): Promise<boolean> {
    if (!this.owns(scope, claim)) return false;
    return this.entries.delete(keyOf(scope));
  }

  async remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void> {
    this.write(scope, completed, retentionMs);
  }

  private owns(scope: ClaimScope, claim: PendingClaim): boolean {
    const current = this.read(scope);
    return current?.state === 'pending' && current.owner === claim.owner;
  }

  private read(scope: ClaimScope): ClaimRecord | null {
    const key = keyOf(scope);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt > this.now()) return entry.record;
    this.entries.delete(key);
    return null;
  }

  private write(scope: ClaimScope, record: ClaimRecord, ttlMs: number): void {
    this.entries.set(keyOf(scope), { record, expiresAt: this.now() + ttlMs });
    // Keys that are never asked for again would otherwise stay forever: sweep now and then.
    if (++this.writesSinceSweep >= SWEEP_EVERY_WRITES) this.sweep();
  }

  private sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}

function keyOf(scope: ClaimScope): string {
  return JSON.stringify([scope.customerId, scope.key]);
}
