import type { Request } from 'express';
import { REPEATED_IDEMPOTENCY_KEY, repeatedIdempotencyKey } from '../request/repeated-idempotency-key';

/** Why a REST request has no usable Idempotency-Key header: a 400 problem's code and detail. */
export interface KeyHeaderProblem {
  code: string;
  detail: string;
}

/**
 * The Idempotency-Key header of a REST route (every POST of the partner API requires it), or the
 * problem of its absence or repetition; its form is checked where the key is used.
 */
export function idempotencyKeyHeaderOf(request: Request): { header: string } | { problem: KeyHeaderProblem } {
  const repeated = repeatedIdempotencyKey(request);
  if (repeated) return { problem: { code: REPEATED_IDEMPOTENCY_KEY, detail: repeated } };
  const header = request.header('idempotency-key');
  if (header === undefined)
    return { problem: { code: 'MISSING_IDEMPOTENCY_KEY', detail: 'The Idempotency-Key header is required.' } };
  return { header };
}
