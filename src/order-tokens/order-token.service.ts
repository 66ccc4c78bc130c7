import { randomUUID } from 'node:crypto';
import { callStore } from '../stores/store-call';
import type { StoreCallPolicy } from '../stores/store-call';
import type { OrderTokenCodec } from './order-token-codec';
import { OrderToken } from './order-token.type';
import type { TokenHold, TokenStore } from './token-store';

/** Options of order tokens. */
export interface OrderTokenOptions {
  /** How long an issued token stays valid (ms). Default (config) 600 000. */
  ttlMs: number;
  /** How long a request may hold a token before another may take it over (ms); as the idempotency lease. */
  leaseMs: number;
  /** The retry hint when a token is held by another request (ms), capped by the lease left. */
  retryAfterMs: number;
}

/** May a request use this token to create an order? */
export type TokenAdmission =
  | { kind: 'invalid'; message: string }
  /** Genuine but past its expiry: invalid, unless an order already used it. */
  | { kind: 'expired'; tokenId: string }
  /** Used by an order (the store says so): a replay. */
  | { kind: 'used'; tokenId: string }
  | { kind: 'in-use'; retryAfterMs: number }
  /**
   * Go ahead and write the order with this token id. `hold` is null when the store could not
   * take part (down, slow, or it lost the record): the database's unique orderTokenId decides alone.
   */
  | { kind: 'admitted'; tokenId: string; hold: TokenHold | null };

const INVALID_MESSAGE = 'The order token is unknown or belongs to someone else.';

/**
 * Issues and consumes one-time order tokens. The token proves itself (HMAC); the store makes
 * consumption one-time and fast; the database's unique index on Order.orderTokenId is the final
 * arbiter, so store trouble never yields two orders and never fails an order the database can take.
 */
export class OrderTokenService {
  constructor(
    private readonly store: TokenStore,
    private readonly codec: OrderTokenCodec,
    private readonly options: OrderTokenOptions,
    /** How long a token store call may take, and who hears of failures (the database path carries on). */
    private readonly storeCalls: StoreCallPolicy,
  ) {}

  async issue(customerId: string): Promise<OrderToken> {
    const expiresAt = new Date(Date.now() + this.options.ttlMs);
    const { token, tokenId } = this.codec.mint(customerId, expiresAt);
    // Without the record the token still works (it verifies itself); only the fast path is lost.
    await this.quietly('issue', () => this.store.issue(tokenId, expiresAt.getTime()));
    return new OrderToken(token, expiresAt);
  }

  async admit(customerId: string, token: string): Promise<TokenAdmission> {
    const claims = this.codec.read(token, customerId);
    if (!claims) return { kind: 'invalid', message: INVALID_MESSAGE };
    const { tokenId } = claims;
    if (claims.expiresAt.getTime() <= Date.now()) return { kind: 'expired', tokenId };
    const found = await this.quietly('acquire', () => this.store.acquire(tokenId, randomUUID(), this.options.leaseMs));
    if (!found || found.state === 'missing') return { kind: 'admitted', tokenId, hold: null };
    if (found.state === 'acquired') return { kind: 'admitted', tokenId, hold: found.hold };
    if (found.state === 'used') return { kind: 'used', tokenId };
    return { kind: 'in-use', retryAfterMs: Math.max(1, Math.min(this.options.retryAfterMs, found.leaseLeftMs)) };
  }

  /** Ends a hold: used by `orderId`, or given back for a retry when no order used the token. */
  async settle(hold: TokenHold | null, orderId: string | null): Promise<void> {
    if (!hold) return;
    if (orderId) await this.quietly('markUsed', () => this.store.markUsed(hold, orderId));
    else await this.quietly('giveBack', () => this.store.giveBack(hold));
  }

  /** A store call within the store timeout; a failure is reported, never thrown: the database path carries on. */
  private async quietly<T>(operation: string, work: () => Promise<T>): Promise<T | undefined> {
    const result = await callStore(this.storeCalls, operation, work);
    return result.ok ? result.value : undefined;
  }
}
