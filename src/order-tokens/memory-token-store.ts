import { TtlCache } from '../stores/ttl-cache';
import type { TtlCacheOptions } from '../stores/ttl-cache';
import type { TokenAcquisition, TokenHold, TokenStore } from './token-store';

type TokenState =
  { state: 'issued' } | { state: 'in-use'; owner: string; since: number } | { state: 'used'; orderId: string };

/**
 * Order tokens in this process's memory, for the embedded single-instance mode (RedisTokenStore
 * otherwise). Each method runs to completion without interleaving, so every state change is
 * atomic, within this one process only. Records expire with their token; memory is bounded.
 */
export class MemoryTokenStore implements TokenStore {
  private readonly tokens: TtlCache<TokenState>;
  private readonly now: () => number;

  constructor(options: TtlCacheOptions = {}) {
    this.now = options.now ?? Date.now;
    this.tokens = new TtlCache(options);
  }

  /** Tokens held now (bounded). */
  get size(): number {
    return this.tokens.size;
  }

  async issue(tokenId: string, expiresAt: number): Promise<void> {
    this.tokens.setUntil(tokenId, { state: 'issued' }, expiresAt);
  }

  async acquire(tokenId: string, owner: string, leaseMs: number): Promise<TokenAcquisition> {
    const token = this.tokens.get(tokenId);
    if (!token) return { state: 'missing' };
    if (token.state === 'used') return { state: 'used', orderId: token.orderId };
    const now = this.now();
    // Taken over when its holder's hold is older than the lease (crashed or hanging holder).
    if (token.state === 'in-use' && token.since + leaseMs > now)
      return { state: 'in-use', leaseLeftMs: token.since + leaseMs - now };
    const hold: TokenHold = { tokenId, owner, since: now };
    this.tokens.replace(tokenId, { state: 'in-use', owner, since: now });
    return { state: 'acquired', hold };
  }

  async markUsed(hold: TokenHold, orderId: string): Promise<boolean> {
    return this.replaceIfHeld(hold, { state: 'used', orderId });
  }

  async giveBack(hold: TokenHold): Promise<boolean> {
    return this.replaceIfHeld(hold, { state: 'issued' });
  }

  /** Compare-and-set keeping the expiry: only the holder settles its hold. */
  private replaceIfHeld(hold: TokenHold, next: TokenState): boolean {
    const token = this.tokens.get(hold.tokenId);
    if (token?.state !== 'in-use' || token.owner !== hold.owner || token.since !== hold.since) return false;
    return this.tokens.replace(hold.tokenId, next);
  }
}
