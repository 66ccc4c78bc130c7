/** The contract's key format: 8 to 255 characters of A-Z a-z 0-9 and - _ . : only. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,255}$/;

/** Why a key is not acceptable, or null when it is. */
export function idempotencyKeyProblem(key: string): string | null {
  // None given (no argument, no directive, no header): say so rather than that it is too short.
  if (key.length === 0) return 'An idempotency key is required (8 to 255 characters).';
  if (key.length < 8) return 'The idempotency key must be at least 8 characters long.';
  if (key.length > 255) return 'The idempotency key must be at most 255 characters long.';
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    return 'The idempotency key may contain only A-Z, a-z, 0-9 and the characters - _ . :';
  }
  return null;
}

/**
 * The key an `Idempotency-Key` HTTP header carries: sent bare (`abc-123…`, as Stripe clients do) or
 * as the IETF draft's structured-field string (`"abc-123…"`). Valid keys contain no `"` or `\`, so
 * no unescaping is needed; what comes back is still to be checked with idempotencyKeyProblem.
 */
export function idempotencyKeyFromHeader(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}
