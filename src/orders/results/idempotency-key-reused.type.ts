import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The key was used before with a different payload. Nothing was created.' })
export class IdempotencyKeyReused {
  @Field()
  idempotencyKey: string;

  @Field()
  message: string;

  constructor(idempotencyKey: string) {
    this.idempotencyKey = idempotencyKey;
    this.message = 'This idempotency key was already used with a different request. Use a new key for a new order.';
  }
}
