import type { CreateOrderInput, CreateOrderOutcome, DetectionSource, IssuedOrderToken, OrderFailure, PlacedOrder } from './create-order-outcome';
import { postGraphQL } from './graphql-transport';
import type { GraphQLAnswer, TransportOptions } from './graphql-transport';
import { createIdempotencyKey } from './idempotency-key';
import { DEFAULT_RETRY_POLICY, withRetries } from './retry';
import type { RetryPolicy, TryVerdict } from './retry';

const ORDER_FIELDS = 'id status channel currency totalCents idempotencyKey createdAt items { sku quantity unitPriceCents }';

const CREATE_ORDER = `mutation CreateOrder($key: String!, $input: CreateOrderInput!) {
  createOrder(idempotencyKey: $key, input: $input) {
    __typename
    ... on OrderCreated { order { ${ORDER_FIELDS} } }
    ... on DuplicateDetected { detectedBy originalOrder { ${ORDER_FIELDS} } }
    ... on IdempotencyKeyReused { message }
    ... on RequestInProgress { retryAfterMs }
    ... on InvalidIdempotencyKey { message }
    ... on InvalidOrderToken { message }
    ... on InsufficientStock { sku requested available }
    ... on ValidationFailed { field message }
  }
}`;

const ISSUE_ORDER_TOKEN = 'mutation IssueOrderToken { issueOrderToken { token expiresAt } }';

type CreateOrderResult =
  | { __typename: 'OrderCreated'; order: PlacedOrder }
  | { __typename: 'DuplicateDetected'; detectedBy: DetectionSource; originalOrder: PlacedOrder }
  | { __typename: 'RequestInProgress'; retryAfterMs: number }
  | ({ __typename: Exclude<OrderFailure['kind'], 'StillInProgress' | 'Unavailable' | 'Rejected'> } & Record<string, unknown>);

/** An outcome before the key and the tries are added. */
type Settled = { ok: true; order: PlacedOrder; replayed: boolean; detectedBy: DetectionSource | null } | { ok: false; failure: OrderFailure };

/** Options of OrderGateClient. */
export interface OrderGateClientOptions extends TransportOptions {
  /** Whose orders these are (the bearer token's `sub`): part of every key this client makes. */
  customerId: string;
  /** How to retry; each field defaults as in DEFAULT_RETRY_POLICY (5 tries, 200 ms base, 5 s cap). */
  retry?: Partial<RetryPolicy>;
}

/** Per-checkout options of createOrder. */
export interface CreateOrderOptions {
  /** The intent's key, when the caller made (and persisted) it before, e.g. across a page reload. Default: a new key. */
  idempotencyKey?: string;
}

/**
 * Places orders so that one checkout intent becomes one order: one idempotency key per intent,
 * the same key on every retry, retries only where they are safe and useful.
 */
export class OrderGateClient {
  private readonly retry: RetryPolicy;

  constructor(private readonly options: OrderGateClientOptions) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** A fresh key for a new checkout intent of this client's customer. Persist it to survive reloads. */
  newIdempotencyKey(): Promise<string> {
    return createIdempotencyKey({ customerId: this.options.customerId, timestamp: Date.now() });
  }

  /**
   * Sends the order, retrying network failures, server errors and RequestInProgress with the same
   * key. OrderCreated and DuplicateDetected both come back as the customer's order (`replayed`
   * tells them apart); every other answer is a typed failure.
   */
  async createOrder(input: CreateOrderInput, options: CreateOrderOptions = {}): Promise<CreateOrderOutcome> {
    const idempotencyKey = options.idempotencyKey ?? (await this.newIdempotencyKey());
    const { value, attempts } = await withRetries(
      async () => settle(await postGraphQL<{ createOrder: CreateOrderResult }>(this.options, CREATE_ORDER, { key: idempotencyKey, input })),
      this.retry,
    );
    return { ...value, idempotencyKey, attempts };
  }

  /** A one-time order token for the next checkout (retried like createOrder: extra tokens are harmless). */
  async issueOrderToken(): Promise<IssuedOrderToken> {
    const { value } = await withRetries(async (): Promise<TryVerdict<GraphQLAnswer<{ issueOrderToken: IssuedOrderToken }>>> => {
      const answer = await postGraphQL<{ issueOrderToken: IssuedOrderToken }>(this.options, ISSUE_ORDER_TOKEN, {});
      return answer.kind === 'transient' ? { retry: answer } : { done: answer };
    }, this.retry);
    if (value.kind === 'data') return value.data.issueOrderToken;
    throw new Error(`issueOrderToken failed: ${value.message}`);
  }
}

/** What one try's answer means: the outcome, or another try. */
function settle(answer: GraphQLAnswer<{ createOrder: CreateOrderResult }>): TryVerdict<Settled> {
  if (answer.kind === 'transient') return { retry: { ok: false, failure: { kind: 'Unavailable', message: answer.message } } };
  if (answer.kind === 'refused') return { done: { ok: false, failure: { kind: 'Rejected', code: answer.code, message: answer.message } } };
  const result = answer.data.createOrder;
  switch (result.__typename) {
    case 'OrderCreated':
      return { done: { ok: true, order: result.order, replayed: false, detectedBy: null } };
    case 'DuplicateDetected':
      return { done: { ok: true, order: result.originalOrder, replayed: true, detectedBy: result.detectedBy } };
    case 'RequestInProgress':
      return {
        retry: { ok: false, failure: { kind: 'StillInProgress', retryAfterMs: result.retryAfterMs } },
        retryAfterMs: result.retryAfterMs,
      };
    default: {
      const { __typename: kind, ...details } = result;
      return { done: { ok: false, failure: { kind, ...details } as OrderFailure } };
    }
  }
}
