import { Field, ObjectType } from 'type-graphql';

/** IdempotencyKeyReused's description (the type). */
const KEY_REUSED =
  'The caller used this key before, for this operation, with different input. Nothing was created or changed: ' +
  'send a new intent with a new key, or the earlier input to get its answer.';

@ObjectType({ description: KEY_REUSED })
export class IdempotencyKeyReused {
  @Field({ description: 'The key as sent.' })
  idempotencyKey: string;

  @Field({ description: 'What happened and what to do, e.g. "… Use a new key for a new order."' })
  message: string;

  /** What to do instead, for the operation that answered: "Use a new key for a new order." (not a field). */
  readonly advice: string;

  /**
   * The held order the key (or a door order's identity) stands for, when it is a held request
   * rather than an order (not a field: the doors' answers carry it, src/channels/channel-answers.ts).
   */
  readonly heldOrderId?: string;

  /** `intent`: what a new key is for, in the operation's words ("order" for createOrder; "refund", …). */
  constructor(idempotencyKey: string, intent = 'order', heldOrderId?: string) {
    this.idempotencyKey = idempotencyKey;
    if (heldOrderId !== undefined) this.heldOrderId = heldOrderId;
    this.advice = `Use a new key for a new ${intent}.`;
    this.message = `This idempotency key was already used with a different request. ${this.advice}`;
  }
}
