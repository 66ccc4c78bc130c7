// The codes the package answers with, as a GraphQL error's `extensions.code` (README, "Error codes").

/** No key, a key that is not a string, or one outside 8–255 characters of `A-Z a-z 0-9 - _ . :`. */
export const BAD_IDEMPOTENCY_KEY = 'BAD_IDEMPOTENCY_KEY';
/** The key was used before with another payload. */
export const IDEMPOTENCY_KEY_PARAMETER_MISMATCH = 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH';
/** The key's first request is still running: retry after `extensions.retryAfterMs`. */
export const IDEMPOTENCY_CONCURRENT_REQUEST = 'IDEMPOTENCY_CONCURRENT_REQUEST';
/** The field's `@idempotent(key:)` directive and its key argument differ, or two of its directives do (`a: f … a: f …`). */
export const IDEMPOTENCY_KEY_MISMATCH = 'IDEMPOTENCY_KEY_MISMATCH';
/**
 * `@idempotent(key:)` on a field no guard runs for (a mutation not guarded, a query field, a nested
 * field): its key would be ignored and the field run on every call, so the request is refused
 * rather than silently not deduplicated.
 */
export const IDEMPOTENCY_KEY_NOT_SUPPORTED = 'IDEMPOTENCY_KEY_NOT_SUPPORTED';

/** Every code above: the package's refusals, answers to the client rather than faults of the server. */
export const IDEMPOTENCY_ERROR_CODES: ReadonlySet<string> = new Set([
  BAD_IDEMPOTENCY_KEY,
  IDEMPOTENCY_KEY_PARAMETER_MISMATCH,
  IDEMPOTENCY_CONCURRENT_REQUEST,
  IDEMPOTENCY_KEY_MISMATCH,
  IDEMPOTENCY_KEY_NOT_SUPPORTED,
]);
