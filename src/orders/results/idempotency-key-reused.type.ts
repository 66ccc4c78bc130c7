import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The key was used before with a different payload. Nothing was created.' })
export class IdempotencyKeyReused {
  @Field()
  idempotencyKey: string;

  @Field()
  message: string;

  /** What to do instead, for the operation that answered: "Use a new key for a new order." (not a field). */
  readonly advice: string;

  /** `intent`: what a new key is for, in the operation's words ("order" for createOrder; "refund", …). */
  constructor(idempotencyKey: string, intent = 'order') {
    this.idempotencyKey = idempotencyKey;
    this.advice = `Use a new key for a new ${intent}.`;
    this.message = `This idempotency key was already used with a different request. ${this.advice}`;
  }
}
