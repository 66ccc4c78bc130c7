import type { TokenAcquisition, TokenHold, TokenStore } from './token-store';

const SWEEP_EVERY_ISSUES = 1_000;

type TokenState = { state: 'issued' } | { state: 'in-use'; owner: string; since: number } | { state: 'used'; orderId: string };

interface Entry {
  token: TokenState;
  /** Epoch ms; the record is forgotten then, as Redis would expire it. */
  expiresAt: number;
}

/**
 * Order tokens in this process's memory, for the embedded single-instance mode (RedisTokenStore
 * otherwise). Each method runs to completion without interleaving, so every state change is
 * atomic, within this one process only.
 */
export class MemoryTokenStore implements TokenStore {
  private readonly entries = new Map<string, Entry>();
  private issuesSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async issue(tokenId: string, expiresAt: number): Promise<void> {
    this.entries.set(tokenId, { token: { state: 'issued' }, expiresAt });
    if (++this.issuesSinceSweep >= SWEEP_EVERY_ISSUES) this.sweep();
  }

  async acquire(hold: TokenHold, leaseMs: number): Promise<TokenAcquisition> {
    const entry = this.live(hold.tokenId);
    if (!entry) return { state: 'missing' };
    const { token } = entry;
    if (token.state === 'used') return { state: 'used', orderId: token.orderId };
    // Taken over when its holder's hold is older than the lease (crashed or hanging holder).
    if (token.state === 'in-use' && token.since + leaseMs > this.now()) return { state: 'in-use', since: token.since };
    entry.token = { state: 'in-use', owner: hold.owner, since: hold.since };
    return { state: 'acquired' };
  }

  async markUsed(hold: TokenHold, orderId: string): Promise<boolean> {
    return this.replaceIfHeld(hold, { state: 'used', orderId });
  }

  async giveBack(hold: TokenHold): Promise<boolean> {
    return this.replaceIfHeld(hold, { state: 'issued' });
  }

  /** Compare-and-set keeping the expiry: only the holder settles its hold. */
  private replaceIfHeld(hold: TokenHold, next: TokenState): boolean {
    const entry = this.live(hold.tokenId);
    const token = entry?.token;
    if (!entry || token?.state !== 'in-use' || token.owner !== hold.owner || token.since !== hold.since) return false;
    entry.token = next;
    return true;
  }

  private live(tokenId: string): Entry | undefined {
    const entry = this.entries.get(tokenId);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(tokenId);
      return undefined;
    }
    return entry;
  }

  /** Expired tokens nobody asks about again would otherwise stay: dropped now and then. */
  private sweep(): void {
    this.issuesSinceSweep = 0;
    const now = this.now();
    for (const [tokenId, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(tokenId);
  }
}
