import { cartSignature } from './cart-signature';
import { compareOrders, DEFAULT_SEMANTIC_WINDOW_MS } from './order-matcher';
import type { MatchableOrder, OrderMatch } from './order-matcher';

/** A group of equivalent orders: the earliest survives, the others are its duplicates. */
export interface OrderGroup<T extends MatchableOrder> {
  survivor: T;
  duplicates: { order: T; match: OrderMatch }[];
}

export interface DuplicateGrouperOptions<T extends MatchableOrder> {
  /** How far apart equivalent orders may be (ms). Default 10 minutes, as on the live path. */
  windowMs?: number;
  /** Receives each group once no later order can join it (its last member left the window). */
  onGroup: (group: OrderGroup<T>) => void;
  /** Orders that join no earlier group (placed by someone's choice); later ones may still join theirs. Default none. */
  standsAlone?: (order: T) => boolean;
}

interface Entry<T extends MatchableOrder> {
  order: T;
  signature: string;
  group: OpenGroup<T> | null;
}

interface OpenGroup<T extends MatchableOrder> extends OrderGroup<T> {
  /** Members still inside the window of the newest order. */
  live: number;
}

/**
 * Groups equivalent orders of a stream sorted by (customer, createdAt), with the live path's
 * matcher and blocking: an order is compared only with the same customer's orders of the last
 * window that have its cart signature, most recent first, and joins the group of the first
 * equivalent one. So an order is grouped here exactly when the live check would have held it.
 *
 * Memory is bounded by one customer's orders within one window: orders that leave the window are
 * dropped, and a group is handed out as soon as none of its members can match a later order.
 */
export class DuplicateGrouper<T extends MatchableOrder> {
  private readonly windowMs: number;
  private customerId: string | null = null;
  /** The current customer's orders within the window, oldest first. */
  private window: Entry<T>[] = [];
  private windowStart = 0;
  private readonly bySignature = new Map<string, Entry<T>[]>();

  constructor(private readonly options: DuplicateGrouperOptions<T>) {
    this.windowMs = options.windowMs ?? DEFAULT_SEMANTIC_WINDOW_MS;
  }

  /** Adds the next order of the stream; returns the match when it joined a group. */
  add(order: T): OrderMatch | null {
    if (order.customerId !== this.customerId) {
      this.flush();
      this.customerId = order.customerId;
    }
    this.expire(order.createdAt.getTime());
    const entry: Entry<T> = { order, signature: cartSignature(order), group: null };
    const sameCart = this.bySignature.get(entry.signature) ?? [];
    let joined: OrderMatch | null = null;
    const alone = this.options.standsAlone?.(order) ?? false;
    for (let index = sameCart.length - 1; index >= 0 && !joined && !alone; index--) {
      const earlier = sameCart[index];
      const match = compareOrders(order, earlier.order, this.windowMs);
      if (!match.equivalent) continue;
      earlier.group ??= { survivor: earlier.order, duplicates: [], live: 1 };
      earlier.group.duplicates.push({ order, match });
      earlier.group.live += 1;
      entry.group = earlier.group;
      joined = match;
    }
    sameCart.push(entry);
    this.bySignature.set(entry.signature, sameCart);
    this.window.push(entry);
    return joined;
  }

  /** Hands out every open group (the end of a customer, or of the stream). */
  flush(): void {
    this.expire(Number.POSITIVE_INFINITY);
  }

  /** Drops the orders older than the window before `now`, handing out groups left with none. */
  private expire(now: number): void {
    while (
      this.windowStart < this.window.length &&
      now - this.window[this.windowStart].order.createdAt.getTime() > this.windowMs
    ) {
      const entry = this.window[this.windowStart];
      this.windowStart += 1;
      const sameCart = this.bySignature.get(entry.signature)!;
      sameCart.shift();
      if (sameCart.length === 0) this.bySignature.delete(entry.signature);
      if (entry.group && --entry.group.live === 0)
        this.options.onGroup({ survivor: entry.group.survivor, duplicates: entry.group.duplicates });
    }
    // Compact now and then, so the array does not grow with a long-lived customer.
    if (this.windowStart > 1_024 && this.windowStart * 2 > this.window.length) {
      this.window = this.window.slice(this.windowStart);
      this.windowStart = 0;
    }
  }
}
