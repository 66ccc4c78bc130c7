/** How many (customer, cart) pairs a process remembers at most: ≈ 150 bytes each. */
const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * The carts this process placed (or held) lately, per customer: a guess, never a decision, of
 * whether a new order will find a candidate. An order that will is not quiet, and trying it in
 * one round trip first (runOrderTransaction) would cost a transaction that writes nothing (about
 * as much as a whole create); it goes straight to the full transaction instead. A wrong guess costs
 * time only: the database decides either way. A customer whose first order went to another process
 * is not known here (one wasted attempt); entries older than the window no longer count, and the
 * least recently placed go first beyond `maxEntries`.
 */
export class RecentCarts {
  /** Placed-at (ms since the epoch) by customer and cart signature, least recent first. */
  private readonly placedAt = new Map<string, number>();

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  remember(customerId: string, signature: string, at = Date.now()): void {
    const key = keyOf(customerId, signature);
    this.placedAt.delete(key);
    this.placedAt.set(key, at);
    if (this.placedAt.size > this.maxEntries) this.placedAt.delete(this.placedAt.keys().next().value!);
  }

  /** This process placed the customer's cart within the last `windowMs`. */
  placedWithin(customerId: string, signature: string, windowMs: number, now = Date.now()): boolean {
    const at = this.placedAt.get(keyOf(customerId, signature));
    return at !== undefined && now - at <= windowMs;
  }

  get size(): number {
    return this.placedAt.size;
  }
}

function keyOf(customerId: string, signature: string): string {
  // A signature is hex: the separator cannot occur in it.
  return `${signature}:${customerId}`;
}
