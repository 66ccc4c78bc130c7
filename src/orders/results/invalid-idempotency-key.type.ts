import { Field, ObjectType } from 'type-graphql';

/** InvalidIdempotencyKey's description (the type). */
const INVALID_KEY =
  'The idempotency key is missing, malformed (8 to 255 characters of A-Z a-z 0-9 - _ . :) or, for createOrder, ' +
  'of a form reserved for marketplace and POS orders. Nothing was done: send it again with a valid key.';

@ObjectType({ description: INVALID_KEY })
export class InvalidIdempotencyKey {
  @Field({ description: 'What is wrong with the key.' })
  message: string;

  constructor(message: string) {
    this.message = message;
  }
}
