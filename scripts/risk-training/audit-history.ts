/**
 * The history a model learns from, as the database holds it: the `IdempotencyAuditEvent` rows and
 * the `Order` rows (with items) they mention. The simulator writes the same shapes, so training
 * code cannot tell a simulated history from the real one.
 */

/** A row of `IdempotencyAuditEvent` (the columns training reads). */
export interface AuditEventRow {
  id: string | number | bigint;
  at: Date;
  /** created, duplicate, reused, in_progress, token_replay, possible_duplicate_held / _flagged / _confirmed, merged, … */
  outcome: string;
  customerId: string | null;
  idempotencyKey: string;
  channel: string | null;
  orderId: string | null;
  relatedOrderId: string | null;
  /**
   * The source within the channel (a marketplace's name, a POS store) the request named (the
   * `salesSource` column); null for the channel alone, and in logs written before the column (then
   * the order's, when the row names one).
   */
  salesSource?: string | null;
  /** The layer that recognised a repeat (CACHE, DATABASE, TOKEN; HELD: a held key sent again); null for a decision. */
  source?: string | null;
  /**
   * The matcher's similarity of the attempt and its candidate (the `similarity` column), which a
   * held attempt needs: its order was never stored. Null in logs written before the column.
   */
  similarity?: number | null;
  /** Milliseconds from the candidate's creation to the attempt's, as the live decision measured them (the `candidateAgeMs` column). */
  candidateAgeMs?: number | null;
  /** Whether the matcher found the candidate equivalent (the `candidateEquivalent` column); null in logs written before it. */
  candidateEquivalent?: boolean | null;
  /**
   * The mutation decided on (the `operation` column): createOrder, or an order-lifecycle mutation
   * (cancelOrder, …) whose rows are not order attempts; null in logs written before the column.
   */
  operation?: string | null;
}

/** A row of `Order` with its items, in its current state. */
export interface OrderRow {
  id: string;
  customerId: string;
  channel: string;
  salesSource?: string | null;
  status: string;
  currency: string;
  createdAt: Date;
  /** Last change; for a cancelled order, when it was cancelled. */
  updatedAt: Date;
  items: readonly { sku: string; quantity: number }[];
  /** The order-record schema's address (line1, city, postalCode, country, …), or null. */
  shippingAddress: unknown;
  mergedIntoId: string | null;
  possibleDuplicateOfId: string | null;
}

export interface AuditHistory {
  auditEvents: readonly AuditEventRow[];
  orders: readonly OrderRow[];
}

/**
 * How alike two orders are, as the matcher (src/dedupe) says; injected so this folder stays below
 * it. `sameCart`: the same lines and currency (the live lookup only fetches such candidates).
 */
export type OrderComparer = (
  order: OrderRow,
  earlier: OrderRow,
) => { similarity: number; equivalent: boolean; sameCart?: boolean };

/** New-key order attempts the duplicate check decides on. */
export const DECISION_OUTCOMES = ['created', 'possible_duplicate_held', 'possible_duplicate_flagged'] as const;

/** Requests that repeated a key. */
export const RETRY_OUTCOMES = ['duplicate', 'in_progress', 'reused', 'token_replay'] as const;
