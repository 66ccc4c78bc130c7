import { IdempotencyKeyReused } from '../../results/idempotency-key-reused.type';
import { InvalidIdempotencyKey } from '../../results/invalid-idempotency-key.type';
import { RequestInProgress } from '../../results/request-in-progress.type';
import { ValidationFailed } from '../../results/validation-failed.type';

/** The answers every keyed mutation's union shares (the guard's). */
export const KEYED = [IdempotencyKeyReused, RequestInProgress, InvalidIdempotencyKey, ValidationFailed] as const;
