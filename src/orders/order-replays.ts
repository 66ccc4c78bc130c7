import type { ClaimScope, ClaimStore, CompletedClaim } from 'graphql-idempotency';
import { CREATE_ORDER } from '../idempotency/order-decision-event';

/** An order about to change (status, merge), as its key's completed claim knows it. */
export interface ChangingOrder {
  id: string;
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  createdAt: Date;
}

/**
 * Keeps the replays stored with completed claims true to their orders. A repeat answered from the
 * claim store shows the order as it was when its key completed; before anything changes an order,
 * forget() rewrites its key's claim without the replay, so from then on its repeats read the order
 * from the database (one statement) and show it as it is now. Called before the change, inside its
 * transaction (if the store cannot be told, the change does not happen), and again after it has
 * committed (a repeat that read the order in between, or a store that lost the key meanwhile,
 * may have stored the order as it was): no stale replay outlives the change. That is this region's
 * Redis; the others hear of the change from the database once it commits (order-changes.ts).
 */
export class OrderReplays {
  constructor(
    private readonly claims: ClaimStore,
    /** How long the rewritten claim answers from the store (ms): IDEMPOTENCY_RETENTION_MS. */
    private readonly retentionMs: number,
  ) {}

  /** Drops the replays of these orders' keys; rejects when the claim store could not be reached. */
  async forget(orders: readonly ChangingOrder[]): Promise<void> {
    await Promise.all(
      orders.map((order) => this.claims.remember(scopeOf(order), withoutReplay(order), this.retentionMs)),
    );
  }

  /**
   * Drops the replay of this order's key only where the store holds the key (its expiry kept): what
   * a region told of a change made elsewhere does (order-changes-listener.ts), since a claim it
   * never had must not appear. True when a claim was rewritten; rejects when the store could not be
   * reached, or cannot rewrite only-if-present.
   */
  async forgetIfHeld(order: ChangingOrder): Promise<boolean> {
    if (!this.claims.replaceIfPresent) throw new TypeError('The claim store cannot rewrite a claim only if present.');
    return this.claims.replaceIfPresent(scopeOf(order), withoutReplay(order));
  }
}

function scopeOf(order: ChangingOrder): ClaimScope {
  return { operation: CREATE_ORDER, scope: order.customerId, key: order.idempotencyKey };
}

/** The order's completed claim with no replay: its repeats read the order from the database. */
function withoutReplay(order: ChangingOrder): CompletedClaim {
  return {
    state: 'completed',
    fingerprint: order.fingerprint,
    resourceId: order.id,
    firstSeenAt: order.createdAt.getTime(),
  };
}
