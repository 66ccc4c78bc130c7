import { Field, Int, ObjectType } from 'type-graphql';

/** RequestInProgress's description (the type). */
const IN_PROGRESS =
  'A request with this key (or with this order token) is still being processed; this one did nothing. Retry with ' +
  "the same key and input after retryAfterMs: the retry gets the first request's outcome (or runs, if it failed).";

@ObjectType({ description: IN_PROGRESS })
export class RequestInProgress {
  @Field({ description: 'The key as sent.' })
  idempotencyKey: string;

  @Field(() => Int, { description: 'How long to wait before retrying, in milliseconds (at least 1).' })
  retryAfterMs: number;

  constructor(idempotencyKey: string, retryAfterMs: number) {
    this.idempotencyKey = idempotencyKey;
    this.retryAfterMs = retryAfterMs;
  }
}
