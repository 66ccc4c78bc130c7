import { Field, ObjectType } from 'type-graphql';

/** ValidationFailed's description (the type). */
const VALIDATION_FAILED =
  'The input breaks a rule (a bad currency or id, an unknown SKU, a blank reason, …). Nothing was done: fix the ' +
  'named field and send it again; a refusal is not remembered, so the same key may be used.';

@ObjectType({ description: VALIDATION_FAILED })
export class ValidationFailed {
  @Field({
    description: "The input at fault, as a path from the arguments (createOrder's from input): e.g. items[0].quantity.",
  })
  field: string;

  @Field({ description: 'What is wrong, in a sentence for a developer.' })
  message: string;

  constructor(field: string, message: string) {
    this.field = field;
    this.message = message;
  }
}
