/**
 * What the simulator writes: rows shaped like the database's (prisma/schema.prisma), so the same
 * training code reads a simulated history and the real one. The ground truth is kept apart.
 */

export type SimulatedChannel = 'WEB' | 'MOBILE' | 'MARKETPLACE' | 'POS' | 'API';

/** A row of `IdempotencyAuditEvent`, plus the order's sales source (issue 13's marketplace name or POS store). */
export interface SimulatedAuditEvent {
  id: number;
  at: Date;
  outcome: 'created' | 'duplicate' | 'possible_duplicate_held' | 'possible_duplicate_confirmed' | 'merged';
  source: 'CACHE' | null;
  claim: 'claimed' | 'held' | 'none';
  customerId: string;
  idempotencyKey: string;
  fingerprint: string | null;
  channel: SimulatedChannel;
  orderId: string | null;
  relatedOrderId: string | null;
  requestId: string;
  latencyMs: number;
  /** Not a column yet: the source within the channel (issue 13); null for channels without one. */
  salesSource: string | null;
  /**
   * The matcher's similarity of a held attempt and its candidate, as the server records it (its
   * order is never stored, so training cannot compute it); null for other outcomes, or when the
   * simulation was given no matcher.
   */
  similarity: number | null;
  /** The matcher's verdict on that pair (equivalent or not), recorded beside it; null as similarity is. */
  candidateEquivalent: boolean | null;
}

/** What the server's matcher says of a held attempt and its candidate. */
export interface CandidateVerdict {
  similarity: number;
  equivalent: boolean;
}

export interface SimulatedAddress {
  line1: string;
  city: string;
  postalCode: string;
  country: string;
}

/** A row of `Order` with its items, in its final state (cancellations and merges applied). */
export interface SimulatedOrder {
  id: string;
  customerId: string;
  idempotencyKey: string;
  channel: SimulatedChannel;
  salesSource: string | null;
  status: 'CONFIRMED' | 'CANCELLED';
  currency: string;
  createdAt: Date;
  /** When the row last changed: the cancellation's time for a cancelled order. */
  updatedAt: Date;
  items: { sku: string; quantity: number }[];
  shippingAddress: SimulatedAddress | null;
  possibleDuplicateOfId: string | null;
  mergedIntoId: string | null;
}

/** The truth about one new-key order attempt: was it a repeat of an intent already sent? */
export interface AttemptTruth {
  customerId: string;
  idempotencyKey: string;
  duplicate: boolean;
  /** Who sent it (shopper, bot, flaky marketplace, …), for breakdowns. */
  actor: string;
  /** How it was sent: first, double-submit, redelivery, honest-repeat, … */
  kind: string;
}

export interface SimulatedHistory {
  auditEvents: SimulatedAuditEvent[];
  orders: SimulatedOrder[];
}

/** The key of an attempt in the truth table. */
export function attemptKey(customerId: string, idempotencyKey: string): string {
  return `${customerId}\u0000${idempotencyKey}`;
}
