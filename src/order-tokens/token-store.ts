/** A request that holds a token while its order is being written. */
export interface TokenHold {
  tokenId: string;
  /** Random per request, so that only the holder can settle the token. */
  owner: string;
  /**
   * Epoch milliseconds when the hold was taken, by the store's clock (Redis's, for every instance
   * alike); a hold older than the lease may be taken over.
   */
  since: number;
}

/** What the store knew when a request tried to take a token. */
export type TokenAcquisition =
  /** Taken: `hold` is what settles it. */
  | { state: 'acquired'; hold: TokenHold }
  /** Nothing recorded: the token expired, or Redis lost it (flush, restart, eviction). */
  | { state: 'missing' }
  /** Another request holds it, for `leaseLeftMs` more at most (by the store's clock). */
  | { state: 'in-use'; leaseLeftMs: number }
  | { state: 'used'; orderId: string };

/**
 * One-time consumption of order tokens, as a state machine that changes only atomically:
 * issued → in-use(owner) → used(orderId), or in-use(owner) → issued when the order failed.
 * Records live until the token expires; the state changes keep that expiry.
 */
export interface TokenStore {
  /** Records a freshly issued token until `expiresAt` (epoch ms). */
  issue(tokenId: string, expiresAt: number): Promise<void>;
  /**
   * Takes an issued token (or one whose holder's hold is older than `leaseMs`) for `owner`. The
   * store dates the hold and judges its age with one clock of its own, so that instances whose
   * clocks disagree never take over a live hold early nor wait out a crashed one too long.
   */
  acquire(tokenId: string, owner: string, leaseMs: number): Promise<TokenAcquisition>;
  /** The holder's order committed: the token is used by it. False if the hold was not ours any more. */
  markUsed(hold: TokenHold, orderId: string): Promise<boolean>;
  /** The holder's order failed: the token is issued again, for a retry. False if the hold was not ours any more. */
  giveBack(hold: TokenHold): Promise<boolean>;
}
