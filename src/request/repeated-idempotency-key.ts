import type { IncomingMessage } from 'node:http';

/** The stable code of a request whose Idempotency-Key header came more than once, at every door. */
export const REPEATED_IDEMPOTENCY_KEY = 'REPEATED_IDEMPOTENCY_KEY';

/**
 * The sentence refusing a request whose Idempotency-Key header came more than once, or undefined.
 * Node joins the copies of a header it does not know into one value (`k, k`), which read as a
 * malformed key ("may contain only…") though each copy was a good one; `headersDistinct` keeps
 * them apart. Which copy a client meant is not for the server to guess, even when they agree.
 */
export function repeatedIdempotencyKey(request: IncomingMessage): string | undefined {
  const times = request.headersDistinct['idempotency-key']?.length ?? 0;
  return times > 1 ? `Idempotency-Key was sent ${times} times; send it once.` : undefined;
}
