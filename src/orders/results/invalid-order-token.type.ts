import { Field, ObjectType } from 'type-graphql';

/** InvalidOrderToken's description (the type). */
const INVALID_TOKEN =
  "The order token is unknown, another customer's, expired or already used. Nothing was created: get a new " +
  'token (issueOrderToken) and send the order again.';

@ObjectType({ description: INVALID_TOKEN })
export class InvalidOrderToken {
  @Field({ description: 'Why the token was refused.' })
  message: string;

  constructor(message: string) {
    this.message = message;
  }
}
