/** The order-lifecycle mutations in the SDK: each answer is its change made or its refusal, tried until settled. */
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

/**
 * The member of each mutation that says its change was made: by this call, or by an earlier one with
 * its key (then with `detectedBy`). Every other member of the schema is a refusal: nothing changed.
 */
const CHANGES_MADE = {
  OrderCancelled: true,
  OrderRefunded: true,
  ShippingAddressChanged: true,
  InventoryAdjusted: true,
  HeldOrderReleased: true,
  HeldOrderDismissed: true,
} as const;

/** The members of `TAnswer` that say the change was made. */
export type ChangeMade<TAnswer> = Extract<TAnswer, { __typename: keyof typeof CHANGES_MADE }>;

/**
 * The server's refusals among `TAnswer`, as createOrder's are: `kind` the member's name, with its
 * fields (OrderNotFound with `orderId`, RefundExceedsPaid with `paidCents`, …).
 */
export type LifecycleRefusal<TAnswer> =
  Exclude<TAnswer, ChangeMade<TAnswer>> extends infer Refused
    ? Refused extends { __typename: infer Name }
      ? { kind: Name } & Omit<Refused, '__typename'>
      : never
    : never;

/** Why a lifecycle call made no change (yet): the server's refusal, or no answer to act on. */
export type LifecycleFailure<TAnswer = never> =
  /** The server refused: final, the same key gets the same refusal. */
  | LifecycleRefusal<TAnswer>
  /** No answer yet (retrying later with the same key is safe): as createOrder's. */
  | StillInProgress
  /** Unavailable, ServerError, Rejected or Interrupted, each with its `code`: as createOrder's. */
  | RequestFailure
  /** A member this SDK does not know: not retried, and the same key is the one to retry with. */
  | UnrecognizedAnswer;

/**
 * What a lifecycle call came to, as createOrder's outcome: `ok: true` only when the change was made
 * (now, or a repeat of the key with `detectedBy`), `answer` its member; any refusal (OrderNotFound,
 * OrderAlreadyCancelled, RefundExceedsPaid, …) or failure is `ok: false`; with the key and the tries.
 */
export type LifecycleOutcome<TAnswer> = Tried<TAnswer> & { idempotencyKey: string; attempts: number };

/** One try's outcome, before the key and the tries are added. */
export type Tried<TAnswer> =
  { ok: true; answer: ChangeMade<TAnswer> } | { ok: false; failure: LifecycleFailure<TAnswer> };

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
  // Every other member is an answer of the schema: final, the change made or a refusal.
  if (Object.prototype.hasOwnProperty.call(CHANGES_MADE, result.__typename)) {
    return { done: { ok: true, answer: result as ChangeMade<Settled<TResult>> } };
  }
  return { done: { ok: false, failure: refusalOf(result as Settled<TResult>) } };
}

function refusalOf<TAnswer extends { __typename: string }>(member: TAnswer): LifecycleRefusal<TAnswer> {
  const { __typename, ...fields } = member;
  // The type maps each member to its refusal; TypeScript cannot follow that through a spread.
  return { kind: __typename, ...fields } as unknown as LifecycleRefusal<TAnswer>;
}

function isInProgress(value: { __typename: string }): value is InProgress {
  return value.__typename === 'RequestInProgress';
}
