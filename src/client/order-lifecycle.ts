/** The order-lifecycle mutations in the SDK: each answer is its union member, tried until settled. */
import type {
  AdjustInventoryMutation,
  CancelOrderMutation,
  ChangeShippingAddressMutation,
  DismissHeldOrderMutation,
  RefundOrderMutation,
  ReleaseHeldOrderMutation,
} from './generated.js';
import { malformedResponse } from './graphql-transport.js';
import type { GraphQLAnswer } from './graphql-transport.js';
import { stillInProgress } from './order-gate-error.js';
import type { RequestFailure, StillInProgress } from './order-gate-error.js';
import { verdictOnFailure } from './retry.js';
import type { TryVerdict } from './retry.js';
import { isKnownMember, isUnionMember, unrecognizedAnswer } from './unrecognized-answer.js';
import type { MemberNames, UnrecognizedAnswer } from './unrecognized-answer.js';

type InProgress = { __typename: 'RequestInProgress'; retryAfterMs: number };
/** A result union without RequestInProgress (which the SDK retries). */
export type Settled<T> = Exclude<T, { __typename: 'RequestInProgress' }>;

/** The answers of each mutation the caller gets (RequestInProgress is retried with the same key, never returned). */
export type CancelOrderAnswer = Settled<CancelOrderMutation['cancelOrder']>;
export type RefundOrderAnswer = Settled<RefundOrderMutation['refundOrder']>;
export type ChangeShippingAddressAnswer = Settled<ChangeShippingAddressMutation['changeShippingAddress']>;
export type AdjustInventoryAnswer = Settled<AdjustInventoryMutation['adjustInventory']>;
export type ReleaseHeldOrderAnswer = Settled<ReleaseHeldOrderMutation['releaseHeldOrder']>;
export type DismissHeldOrderAnswer = Settled<DismissHeldOrderMutation['dismissHeldOrder']>;

/**
 * The members each lifecycle call knows (the build fails when one is missing or not in its union);
 * any other `__typename` is an UnrecognizedAnswer. SHARED: what every keyed mutation answers.
 */
const SHARED = {
  IdempotencyKeyReused: true,
  RequestInProgress: true,
  InvalidIdempotencyKey: true,
  ValidationFailed: true,
} as const;
export const CANCEL_ORDER_MEMBERS: MemberNames<CancelOrderMutation['cancelOrder']> = {
  ...SHARED,
  OrderCancelled: true,
  OrderAlreadyCancelled: true,
  OrderNotFound: true,
};
export const REFUND_ORDER_MEMBERS: MemberNames<RefundOrderMutation['refundOrder']> = {
  ...SHARED,
  OrderRefunded: true,
  RefundExceedsPaid: true,
  OrderNotFound: true,
};
export const CHANGE_SHIPPING_ADDRESS_MEMBERS: MemberNames<ChangeShippingAddressMutation['changeShippingAddress']> = {
  ...SHARED,
  ShippingAddressChanged: true,
  OrderNotOpen: true,
  OrderNotFound: true,
};
export const ADJUST_INVENTORY_MEMBERS: MemberNames<AdjustInventoryMutation['adjustInventory']> = {
  ...SHARED,
  InventoryAdjusted: true,
  StockWouldGoNegative: true,
  ProductNotFound: true,
};
export const RELEASE_HELD_ORDER_MEMBERS: MemberNames<ReleaseHeldOrderMutation['releaseHeldOrder']> = {
  ...SHARED,
  HeldOrderReleased: true,
  HeldOrderAlreadyResolved: true,
  HeldOrderNotFound: true,
  InsufficientStock: true,
};
export const DISMISS_HELD_ORDER_MEMBERS: MemberNames<DismissHeldOrderMutation['dismissHeldOrder']> = {
  ...SHARED,
  HeldOrderDismissed: true,
  HeldOrderAlreadyResolved: true,
  HeldOrderNotFound: true,
};

/** Why a lifecycle call has no answer from the server: retrying later with the same key is safe. */
export type LifecycleFailure =
  | StillInProgress
  /** Unavailable, ServerError or Rejected, each with its `code`: as createOrder's. */
  | RequestFailure
  /** A member this SDK does not know: not retried, and the same key is the one to retry with. */
  | UnrecognizedAnswer;

/**
 * What a lifecycle call came to: the server's answer (a change made, its repeat with `detectedBy`,
 * or a typed refusal such as OrderAlreadyCancelled), or a failure; with the key and the tries it took.
 */
export type LifecycleOutcome<TAnswer> = ({ ok: true; answer: TAnswer } | { ok: false; failure: LifecycleFailure }) & {
  idempotencyKey: string;
  attempts: number;
};

/** One try's outcome, before the key and the tries are added. */
export type Tried<TAnswer> = { ok: true; answer: TAnswer } | { ok: false; failure: LifecycleFailure };

/**
 * Retries what is transient (a busy key, an unavailable server); any answer of the schema is final,
 * a member not in `members` too, as an UnrecognizedAnswer.
 */
export function settleLifecycle<TData, TResult extends { __typename: string }>(
  answer: GraphQLAnswer<TData>,
  field: (data: TData) => TResult,
  members: MemberNames<TResult>,
): TryVerdict<Tried<Settled<TResult>>> {
  if (answer.kind === 'failed') return verdictOnFailure(answer.failure, { ok: false, failure: answer.failure });
  // Typed as the schema has it; what arrived may lack it (a gateway, another GraphQL server).
  const result: unknown = field(answer.data);
  if (!isUnionMember(result)) return settleLifecycle(malformedResponse('The response had no answer.'), field, members);
  // The generated type lists only the members this SDK was built with; the server may know more.
  if (!isKnownMember(result, members)) return { done: { ok: false, failure: unrecognizedAnswer(result) } };
  if (isInProgress(result)) {
    const failure: LifecycleFailure = stillInProgress(result.retryAfterMs);
    return { retry: { ok: false, failure }, retryAfterMs: result.retryAfterMs };
  }
  // Every other member is an answer of the schema: final.
  return { done: { ok: true, answer: result as Settled<TResult> } };
}

function isInProgress(value: { __typename: string }): value is InProgress {
  return value.__typename === 'RequestInProgress';
}
