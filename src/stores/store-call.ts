// The timeout rule of every Redis-backed store (claims, order tokens, risk counters, the catalog's
// cache): one implementation, graphql-idempotency's, which its guard applies to claim store calls.
export { StoreTimeout, callStore } from 'graphql-idempotency';
export type { StoreCallPolicy, StoreCallResult } from 'graphql-idempotency';
