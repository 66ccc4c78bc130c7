/**
 * Order Gate's client SDK, for web and mobile TypeScript: fetch and Web Crypto only, no Node APIs.
 * Bundled for the browser by scripts/build-client.js (global `OrderGate`).
 */
export { createIdempotencyKey, randomSalt, IDEMPOTENCY_KEY_PATTERN } from './idempotency-key';
export type { IdempotencyKeyParts } from './idempotency-key';
export { OrderGateClient } from './order-gate-client';
export type { OrderGateClientOptions, CreateOrderOptions } from './order-gate-client';
export { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry';
export type { RetryPolicy } from './retry';
export type * from './create-order-outcome';
export type * from './order-lifecycle';
