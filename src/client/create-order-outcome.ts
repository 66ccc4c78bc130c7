/** The shapes the SDK hands back: plain data, independent of any GraphQL library. */

export type DetectionSource = 'CACHE' | 'DATABASE' | 'TOKEN';

export interface PlacedOrderItem {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface PlacedOrder {
  id: string;
  status: string;
  channel: string;
  currency: string;
  totalCents: number;
  idempotencyKey: string;
  /** ISO 8601. */
  createdAt: string;
  items: PlacedOrderItem[];
}

/** Why no order came of a checkout: the server's answer, or the SDK giving up. */
export type OrderFailure =
  | { kind: 'IdempotencyKeyReused'; message: string }
  | { kind: 'InvalidIdempotencyKey'; message: string }
  | { kind: 'InvalidOrderToken'; message: string }
  | { kind: 'InsufficientStock'; sku: string; requested: number; available: number }
  | { kind: 'ValidationFailed'; field: string; message: string }
  /** The last try still found the key in progress. Retrying later with the same key is safe. */
  | { kind: 'StillInProgress'; retryAfterMs: number }
  /** Every try failed on the network or with a server error. Retrying later with the same key is safe. */
  | { kind: 'Unavailable'; message: string }
  /** The server refused the request itself (e.g. UNAUTHENTICATED): retrying will not help. */
  | { kind: 'Rejected'; code: string; message: string };

/** One checkout's result: "your order" (created now, or the original of a replay), or a typed failure. */
export type CreateOrderOutcome =
  | {
      ok: true;
      order: PlacedOrder;
      /** True when the server recognised a repeat and answered with the order it already had. */
      replayed: boolean;
      detectedBy: DetectionSource | null;
      idempotencyKey: string;
      attempts: number;
    }
  | { ok: false; failure: OrderFailure; idempotencyKey: string; attempts: number };

export interface OrderItemInput {
  sku: string;
  quantity: number;
}

export interface CreateOrderInput {
  items: OrderItemInput[];
  currency: string;
  channel?: 'WEB' | 'MOBILE' | 'MARKETPLACE' | 'POS' | 'API';
  /** A one-time token from issueOrderToken. */
  orderToken?: string;
}

export interface IssuedOrderToken {
  token: string;
  /** ISO 8601. */
  expiresAt: string;
}
