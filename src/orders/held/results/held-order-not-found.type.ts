import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'No held order has this id. Nothing changed.' })
export class HeldOrderNotFound {
  @Field(() => ID, { description: 'The id asked for (in lower case).' })
  heldOrderId: string;

  constructor(heldOrderId: string) {
    this.heldOrderId = heldOrderId;
  }
}
