import type { IncomingMessage } from 'node:http';
import { REPEATED_IDEMPOTENCY_KEY, repeatedIdempotencyKey } from '../request/repeated-idempotency-key';

/** An Idempotency-Key header sent more than once: a 400 with its own code (http-errors.ts). */
export class RepeatedIdempotencyKeyError extends Error {
  readonly status = 400;
  readonly clientCode = REPEATED_IDEMPOTENCY_KEY;
  constructor(readonly clientMessage: string) {
    super(clientMessage);
  }
}

/**
 * A step of `/graphql` (both its paths) before the body is read: a request whose Idempotency-Key
 * header came more than once goes on as the error, which the caller answers; Apollo's check of the
 * header (idempotency-key-header.plugin.ts) would only see the copies joined, as a bad key.
 */
export function refuseRepeatedIdempotencyKey(
  request: IncomingMessage,
  _response: unknown,
  next: (error?: RepeatedIdempotencyKeyError) => void,
): void {
  const repeated = repeatedIdempotencyKey(request);
  next(repeated === undefined ? undefined : new RepeatedIdempotencyKeyError(repeated));
}
