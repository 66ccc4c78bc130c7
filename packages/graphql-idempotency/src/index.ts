// graphql-idempotency: exactly-once mutations for any GraphQL server (see README.md).
export type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
export { decodeClaim, encodeClaim } from './claim-store';
export { ClaimTakenOver } from './claim-settlement';
export {
  COMPACT_CLAIM_PREFIX,
  COMPACT_CLAIM_V3,
  FIELD_SEPARATOR,
  UUID_CHARS,
  fingerprintsMatch,
  packBytes,
  packUuid,
  unpackBytes,
  unpackUuid,
} from './claim-codec';
export { COMPLETE_IF_OWN_OR_FREE, DELETE_IF_EQUALS, REPLACE_IF_EQUALS, withCompareAndSet } from './compare-and-set';
export type { CompareAndSetCommands, RedisLike, StoreScript } from './compare-and-set';
export { IDEMPOTENT_DIRECTIVE_SDL, directiveKeyOf, idempotencyKeyOf, idempotentDirective } from './directive';
export { IDEMPOTENT_FIELD_EXTENSION, IdempotentDirectiveRule, idempotentDirectiveErrors } from './directive-rule';
export {
  BAD_IDEMPOTENCY_KEY,
  IDEMPOTENCY_CONCURRENT_REQUEST,
  IDEMPOTENCY_ERROR_CODES,
  IDEMPOTENCY_KEY_MISMATCH,
  IDEMPOTENCY_KEY_NOT_SUPPORTED,
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH,
} from './error-codes';
export type {
  ClaimState,
  DetectionLayer,
  EventMetadata,
  IdempotencyEvent,
  IdempotencyObserver,
  IdempotencyOutcome,
  IdempotencyRequest,
} from './events';
export { IDEMPOTENT_REPLAYED_HEADER, decisionsOf, idempotencyHeaders } from './events';
export { canonicalJson, fingerprintOf } from './fingerprint';
export type { Canonical, CanonicalInput } from './fingerprint';
export { IdempotencyGuard } from './guard';
export { repeatOf } from './repeats';
export type { ClaimedRepeat } from './repeats';
export type { IdempotencyGuardOptions } from './guard-options';
export { NULL_ANSWER, keyArgumentOf } from './policy';
export type {
  GuardAnswer,
  GuardedAttempt,
  IdempotencyPolicy,
  PreparedRequest,
  RejectedRequest,
  ResultOutcome,
  SettledResource,
} from './policy';
export { IDEMPOTENCY_KEY_PATTERN, idempotencyKeyFromHeader, idempotencyKeyProblem } from './key';
export { MemoryClaimStore, MemoryClaimStoreFull } from './memory-claim-store';
export { NearCacheClaimStore } from './near-cache-claim-store';
export type { NearCacheOptions } from './near-cache-claim-store';
export type { MemoryClaimStoreOptions } from './memory-claim-store';
export { REDIS_NOT_CONNECTED, RedisClaimStore, claimStoreKey } from './redis-claim-store';
export { INVALIDATE_CHANNEL, RedisTracking } from './redis-tracking';
export type { InvalidationListener } from './redis-tracking';
export { TrackedNearCacheClaimStore } from './tracked-near-cache-claim-store';
export type { TrackedNearCacheOptions } from './tracked-near-cache-claim-store';
export { answerWithErrors, replayPolicy } from './replay-policy';
export type { ReplayPolicyOptions } from './replay-policy';
export { ResponseReplayCache, operationOf } from './response-replay-cache';
export type {
  ReplayableRequest,
  ReplayableResult,
  ResponseReplayOptions,
  StoredReplay,
  StoredResponseAnswer,
} from './response-replay-cache';
export { guardSchema, guardedResolver } from './schema';
export type { GuardSchemaOptions } from './schema';
export { StoreTimeout, callStore } from './store-call';
export type { StoreCallPolicy, StoreCallResult } from './store-call';
