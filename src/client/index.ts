/**
 * Order Gate's client SDK, for web and mobile TypeScript: fetch, AbortController, Web Crypto and TextEncoder only, no Node APIs.
 * Bundled for the browser by scripts/build-client.js (global `OrderGate`).
 */
export { createIdempotencyKey, randomSalt, IDEMPOTENCY_KEY_PATTERN } from './idempotency-key.js';
export type { IdempotencyKeyParts } from './idempotency-key.js';
export { OrderGateClient } from './order-gate-client.js';
export type { OrderGateClientOptions, CreateOrderOptions } from './order-gate-client.js';
export { DEFAULT_DEADLINE_MS } from './client-call.js';
export type { CallOptions } from './client-call.js';
export type { AuthTokenRequest } from './graphql-transport.js';
export { InvalidArgumentError, OrderGateError } from './order-gate-error.js';
export type {
  Interrupted,
  OrderGateErrorDetails,
  RequestFailure,
  SdkErrorCode,
  StillInProgress,
} from './order-gate-error.js';
export { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry.js';
export type { RetryPolicy } from './retry.js';
export type * from './create-order-outcome.js';
export type * from './order-lifecycle.js';
