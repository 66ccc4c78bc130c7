/**
 * The Redis keys of the idempotency, order-token and rate-limit stores, in one place: those stores
 * build their keys here and tests import these builders instead of rebuilding key strings. The
 * duplicate-risk feature store is the exception: only its prefix is made here
 * (riskFeatureKeyPrefix); it builds the keys under it itself (RedisRiskFeatureStore.keysFor),
 * because its own Lua script is written against their layout.
 *
 * `{…}` is a Redis Cluster hash tag: everything about one subject lives in one slot, so a Lua script
 * touching it runs on one node. Customer ids are URI-encoded so that no `{`, `}` or `:` in them can
 * change the tag or collide with another key.
 */

import { claimStoreKey } from 'graphql-idempotency';

/** The prefix graphql-idempotency's claim store writes under: `<prefix>:idem`. */
export function claimKeyPrefix(prefix: string): string {
  return `${prefix}:idem`;
}

/**
 * The claim of one idempotency key of one customer for one operation:
 * `<prefix>:idem:<operation>:{<customer>:<key>}` (built by graphql-idempotency's claimStoreKey).
 */
export function claimKey(
  prefix: string,
  customerId: string,
  idempotencyKey: string,
  operation = 'createOrder',
): string {
  return claimStoreKey(claimKeyPrefix(prefix), { operation, scope: customerId, key: idempotencyKey });
}

/** Every claim key under a prefix, as a SCAN/KEYS pattern (operators and tests; never on the request path). */
export function claimKeyPattern(prefix: string): string {
  return `${prefix}:idem:*`;
}

/** The state of one order token: `<prefix>:otok:<tokenId>` (token ids are hex). */
export function orderTokenKey(prefix: string, tokenId: string): string {
  return `${prefix}:otok:${tokenId}`;
}

/**
 * The new-order counter of one customer: `<prefix>:rl:orders:{c%3A<customer>}`. Its hash tag is
 * the one of the customer's duplicate-risk keys (`<prefix>:risk:{c%3A<customer>}:a|c`, the risk
 * subject `c:<customer>` encoded), so that the rate limit's call can count and read them too (one
 * Cluster slot; see RateLimitWithRisk).
 */
export function orderRateLimitKey(prefix: string, customerId: string): string {
  return `${prefix}:rl:orders:{${encodeURIComponent(customerSubject(customerId))}}`;
}

/**
 * The prefix of the duplicate-risk feature store's keys: `<prefix>:risk`, under which it writes
 * `<prefix>:risk:{<subject>}:a` and `…:c` (RedisRiskFeatureStore.keysFor; `…:n` read once after an upgrade).
 */
export function riskFeatureKeyPrefix(prefix: string): string {
  return `${prefix}:risk`;
}

/** A customer as a subject of the duplicate-risk feature store (its keys' hash tag, and the rate limit's). */
export function customerSubject(customerId: string): string {
  return `c:${customerId}`;
}

/**
 * The moment (the database's clock, ms since the epoch) up to which this region has heard every
 * order change: `<prefix>:order-changes:heard` (src/orders/order-changes-catch-up.ts). In the
 * region's Redis with the claims it keeps true: a Redis that lost it lost their replays too.
 */
export function orderChangesHeardKey(prefix: string): string {
  return `${prefix}:order-changes:heard`;
}
