import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A request with this key is still being processed. Retry after the given time.' })
export class RequestInProgress {
  @Field()
  idempotencyKey: string;

  @Field(() => Int)
  retryAfterMs: number;

  constructor(idempotencyKey: string, retryAfterMs: number) {
    this.idempotencyKey = idempotencyKey;
    this.retryAfterMs = retryAfterMs;
  }
}
