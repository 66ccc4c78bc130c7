import { checkDeadline, DEFAULT_DEADLINE_MS, startCall } from './client-call.js';
import type { CallOptions, ClientCall } from './client-call.js';
import { settleCreateOrder } from './create-order-answer.js';
import type { CreateOrderInput, CreateOrderOutcome, IssuedOrderToken } from './create-order-outcome.js';
import {
  AdjustInventoryDocument,
  CancelOrderDocument,
  ChangeShippingAddressDocument,
  CreateOrderDocument,
  DismissHeldOrderDocument,
  IssueOrderTokenDocument,
  RefundOrderDocument,
  ReleaseHeldOrderDocument,
} from './generated.js';
import type { RefundLineInput, ShippingAddressInput, TypedDocumentString } from './generated.js';
import { checkTransportOptions, malformedResponse, postGraphQL } from './graphql-transport.js';
import type { GraphQLAnswer, TransportOptions } from './graphql-transport.js';
import { createIdempotencyKey } from './idempotency-key.js';
import { OrderGateError } from './order-gate-error.js';
import type { Interrupted } from './order-gate-error.js';
import {
  ADJUST_INVENTORY_MEMBERS,
  CANCEL_ORDER_MEMBERS,
  CHANGE_SHIPPING_ADDRESS_MEMBERS,
  DISMISS_HELD_ORDER_MEMBERS,
  REFUND_ORDER_MEMBERS,
  RELEASE_HELD_ORDER_MEMBERS,
  settleLifecycle,
} from './order-lifecycle.js';
import type {
  AdjustInventoryAnswer,
  CancelOrderAnswer,
  ChangeShippingAddressAnswer,
  DismissHeldOrderAnswer,
  LifecycleOutcome,
  RefundOrderAnswer,
  ReleaseHeldOrderAnswer,
  Settled,
} from './order-lifecycle.js';
import { retryPolicyOf, verdictOnFailure, withRetries } from './retry.js';
import type { RetryPolicy, TryVerdict } from './retry.js';
import type { MemberNames } from './unrecognized-answer.js';

/** Options of OrderGateClient. */
export interface OrderGateClientOptions extends TransportOptions {
  /** Whose orders these are (the bearer token's `sub`): part of every key this client makes. */
  customerId: string;
  /** How to retry; each field defaults as in DEFAULT_RETRY_POLICY (5 tries, 200 ms base, 5 s cap, hints up to 30 s). NaN or below 0: InvalidArgumentError. */
  retry?: Partial<RetryPolicy>;
  /**
   * How long one call may take in all, tries and waits included (ms, above 0; Infinity for no
   * limit); each call may pass its own. Past it the call ends with `Interrupted` DEADLINE_EXCEEDED
   * and its key. Default 45 000 (DEFAULT_DEADLINE_MS). 0, below 0 or NaN: InvalidArgumentError.
   */
  deadlineMs?: number;
}

/** Per-call options of createOrder and the lifecycle calls: the intent's key, and CallOptions' deadline and signal. */
export interface CreateOrderOptions extends CallOptions {
  /** The intent's key, when the caller made (and persisted) it before, e.g. across a page reload. Default: a new key. */
  idempotencyKey?: string;
}

/**
 * Places orders so that one checkout intent becomes one order: one idempotency key per intent,
 * the same key on every retry, retries only where they are safe and useful.
 */
export class OrderGateClient {
  private readonly retry: RetryPolicy;

  /** Throws InvalidArgumentError for a `url`, token string, `attemptTimeoutMs`, `retry` or `deadlineMs` no call can work with. */
  constructor(private readonly options: OrderGateClientOptions) {
    checkTransportOptions(options);
    checkDeadline(options.deadlineMs);
    this.retry = retryPolicyOf(options.retry);
  }

  /** A fresh key for a new checkout intent of this client's customer. Persist it to survive reloads. */
  newIdempotencyKey(): Promise<string> {
    return createIdempotencyKey({ customerId: this.options.customerId, timestamp: Date.now() });
  }

  /**
   * Sends the order, retrying network failures, an unavailable server (SERVICE_UNAVAILABLE, 5xx;
   * after its Retry-After at least, unless that is above `maxRetryAfterMs`) and RequestInProgress
   * with the same key. OrderCreated and
   * DuplicateDetected both come back as the customer's order (`replayed` tells them apart); every
   * other answer is a typed failure, INTERNAL_SERVER_ERROR (a defect) as `ServerError`, not retried,
   * and a union member this SDK does not know as `UnrecognizedAnswer`, not retried either. Within
   * the call's deadline (`deadlineMs`) and `signal`: past them, `Interrupted` with the key. An
   * UNAUTHENTICATED answer to an `authToken` function's token is sent again once with a fresh one.
   */
  async createOrder(input: CreateOrderInput, options: CreateOrderOptions = {}): Promise<CreateOrderOutcome> {
    const idempotencyKey = options.idempotencyKey ?? (await this.newIdempotencyKey());
    const { value, attempts } = await this.runCall(
      options,
      async (call) =>
        settleCreateOrder(await postGraphQL(this.options, call, CreateOrderDocument, { key: idempotencyKey, input })),
      failedWith,
    );
    return { ...value, idempotencyKey, attempts };
  }

  /**
   * A one-time order token for the next checkout (retried like createOrder: extra tokens are
   * harmless). Throws an OrderGateError when there is none: its `code` is the server's refusal
   * (UNAUTHENTICATED, HTTP_429, …), INTERNAL_SERVER_ERROR, or why the last try failed
   * (NETWORK_ERROR, TIMEOUT, SERVICE_UNAVAILABLE, …), or DEADLINE_EXCEEDED / ABORTED when the
   * deadline or `options.signal` ended the call (kind Interrupted), as createOrder's failures.
   */
  async issueOrderToken(options: CallOptions = {}): Promise<IssuedOrderToken> {
    const tryOnce = async (call: ClientCall): Promise<TryVerdict<GraphQLAnswer<IssuedOrderToken>>> => {
      const answer = await postGraphQL(this.options, call, IssueOrderTokenDocument, {});
      if (answer.kind === 'failed') return verdictOnFailure(answer.failure, answer);
      // Typed as the schema has it; what arrived may lack it (a gateway, another GraphQL server).
      const issued = answer.data.issueOrderToken as Partial<IssuedOrderToken> | null | undefined;
      if (typeof issued?.token !== 'string') {
        const malformed = malformedResponse('The response had no order token.');
        return verdictOnFailure(malformed.failure, malformed);
      }
      return { done: { kind: 'data', data: answer.data.issueOrderToken } };
    };
    const { value, attempts } = await this.runCall(
      options,
      tryOnce,
      (failure) => ({ kind: 'failed', failure }) as const,
    );
    if (value.kind === 'data') return value.data;
    throw OrderGateError.of('issueOrderToken', value.failure, attempts);
  }

  /** Cancels an order (the customer's own; an admin's: any). Retried with the same key until settled. */
  cancelOrder(
    orderId: string,
    reason: string,
    options: CreateOrderOptions = {},
  ): Promise<LifecycleOutcome<CancelOrderAnswer>> {
    return this.lifecycle(
      CancelOrderDocument,
      (key) => ({ orderId, reason, key }),
      (data) => data.cancelOrder,
      CANCEL_ORDER_MEMBERS,
      options,
    );
  }

  /** Admin only: refunds `amountCents`, or the given lines at their ordered prices. */
  refundOrder(
    orderId: string,
    refund: { amountCents: number } | { lines: RefundLineInput[] },
    options: CreateOrderOptions = {},
  ): Promise<LifecycleOutcome<RefundOrderAnswer>> {
    return this.lifecycle(
      RefundOrderDocument,
      (key) => ({ orderId, key, ...refund }),
      (data) => data.refundOrder,
      REFUND_ORDER_MEMBERS,
      options,
    );
  }

  /** Changes the shipping address of an open order. */
  changeShippingAddress(
    orderId: string,
    address: ShippingAddressInput,
    options: CreateOrderOptions = {},
  ): Promise<LifecycleOutcome<ChangeShippingAddressAnswer>> {
    return this.lifecycle(
      ChangeShippingAddressDocument,
      (key) => ({ orderId, address, key }),
      (data) => data.changeShippingAddress,
      CHANGE_SHIPPING_ADDRESS_MEMBERS,
      options,
    );
  }

  /** Admin only: moves a product's stock by `delta`, once per key. */
  adjustInventory(
    sku: string,
    delta: number,
    reason: string,
    options: CreateOrderOptions = {},
  ): Promise<LifecycleOutcome<AdjustInventoryAnswer>> {
    return this.lifecycle(
      AdjustInventoryDocument,
      (key) => ({ sku, delta, reason, key }),
      (data) => data.adjustInventory,
      ADJUST_INVENTORY_MEMBERS,
      options,
    );
  }

  /** Admin only: places a held possible duplicate (PossibleDuplicate's heldOrderId), once, under its own key. */
  releaseHeldOrder(
    heldOrderId: string,
    options: CreateOrderOptions = {},
  ): Promise<LifecycleOutcome<ReleaseHeldOrderAnswer>> {
    return this.lifecycle(
      ReleaseHeldOrderDocument,
      (key) => ({ heldOrderId, key }),
      (data) => data.releaseHeldOrder,
      RELEASE_HELD_ORDER_MEMBERS,
      options,
    );
  }

  /** Admin only: drops a held possible duplicate; no order comes of it. */
  dismissHeldOrder(
    heldOrderId: string,
    reason: string,
    options: CreateOrderOptions = {},
  ): Promise<LifecycleOutcome<DismissHeldOrderAnswer>> {
    return this.lifecycle(
      DismissHeldOrderDocument,
      (key) => ({ heldOrderId, reason, key }),
      (data) => data.dismissHeldOrder,
      DISMISS_HELD_ORDER_MEMBERS,
      options,
    );
  }

  /**
   * One lifecycle call: one key for the intent (given, or new), the same key on every try. A member
   * not in `members` (one added to the schema after this SDK) is an UnrecognizedAnswer, not retried.
   */
  private async lifecycle<TData, TVariables, TResult extends { __typename: string }>(
    document: TypedDocumentString<TData, TVariables>,
    variables: (key: string) => TVariables,
    field: (data: TData) => TResult,
    members: MemberNames<TResult>,
    options: CreateOrderOptions,
  ): Promise<LifecycleOutcome<Settled<TResult>>> {
    const idempotencyKey = options.idempotencyKey ?? (await this.newIdempotencyKey());
    const { value, attempts } = await this.runCall(
      options,
      async (call) =>
        settleLifecycle(await postGraphQL(this.options, call, document, variables(idempotencyKey)), field, members),
      failedWith,
    );
    return { ...value, idempotencyKey, attempts };
  }

  /**
   * Runs one call's tries within its deadline (the call's, else the client's) and signal; an
   * interrupted call's outcome is `interrupted`'s. Throws InvalidArgumentError for a deadline not above 0.
   */
  private async runCall<T>(
    options: CallOptions,
    tryOnce: (call: ClientCall) => Promise<TryVerdict<T>>,
    interrupted: (failure: Interrupted) => T,
  ): Promise<{ value: T; attempts: number }> {
    checkDeadline(options.deadlineMs);
    const deadlineMs = options.deadlineMs ?? this.options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const call = startCall(deadlineMs, options.signal, typeof this.options.authToken === 'function');
    try {
      return await withRetries(() => tryOnce(call), this.retry, call, interrupted);
    } finally {
      call.end();
    }
  }
}

/** The outcome of a call that ended with `failure`, before the key and the tries are added. */
function failedWith<TFailure>(failure: TFailure): { ok: false; failure: TFailure } {
  return { ok: false, failure };
}
