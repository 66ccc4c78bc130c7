/**
 * The shapes the SDK hands back: plain data, independent of any GraphQL library. Where they
 * mirror the schema they come from the generated operation types (src/client/generated.ts), so
 * they follow the schema instead of drifting from it.
 */
import type {
  CreateOrderInput,
  DetectionSource,
  OrderItemInput,
  PlacedOrderFragment,
  ShippingAddressInput,
} from './generated.js';
import type { RequestFailure, StillInProgress } from './order-gate-error.js';
import type { UnrecognizedAnswer } from './unrecognized-answer.js';

export type { UnrecognizedAnswer };
export type { CreateOrderInput, DetectionSource, OrderItemInput, ShippingAddressInput };

/** An order as the SDK returns it (the `PlacedOrder` fragment of src/client/operations). */
export type PlacedOrder = PlacedOrderFragment;

export type PlacedOrderItem = PlacedOrder['items'][number];

/** Why no order came of a checkout: the server's answer, or the SDK giving up. */
export type OrderFailure =
  | { kind: 'IdempotencyKeyReused'; message: string }
  | { kind: 'InvalidIdempotencyKey'; message: string }
  | { kind: 'InvalidOrderToken'; message: string }
  | { kind: 'InsufficientStock'; sku: string; requested: number; available: number }
  | { kind: 'ValidationFailed'; field: string; message: string }
  /**
   * Nothing was created: the customer placed an equivalent order moments ago (`candidate`; with a
   * duplicate-risk model on, a same-cart order the model scores as likely the same). Ask them; to place this one anyway, call createOrder again with `confirmPossibleDuplicate: true`
   * and a new idempotency key (the default). `heldOrderId`: the held order an admin can release
   * or dismiss, when the server keeps one; `riskScore`: the duplicate-risk model's score, when a
   * model decided (both null otherwise, as in the schema).
   */
  | {
      kind: 'PossibleDuplicate';
      candidate: PlacedOrder;
      similarity: number;
      reasons: string[];
      heldOrderId: string | null;
      riskScore: number | null;
    }
  /** The last try still found the key in progress (code REQUEST_IN_PROGRESS). Retrying later with the same key is safe. */
  | StillInProgress
  /**
   * Unavailable (every try failed on the network, or the server was unavailable), ServerError (a
   * defect, with the `requestId` to quote) or Rejected (e.g. UNAUTHENTICATED; RATE_LIMITED and
   * HTTP_429 with `retryAfterMs`), each with its stable `code`: the same failures, with the same
   * codes, as every operation's (RequestFailure); issueOrderToken throws them as OrderGateError.
   */
  | RequestFailure
  /**
   * An answer this SDK does not know (a union member added to the schema after it was built), with
   * its `typename` and `data`. Not retried; maybe an order came of it: resume with the same key,
   * never a new one.
   */
  | UnrecognizedAnswer;

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

export interface IssuedOrderToken {
  token: string;
  /** ISO 8601. */
  expiresAt: string;
}
