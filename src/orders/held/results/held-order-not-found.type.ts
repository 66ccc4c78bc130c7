import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'No held order has this id. Nothing changed.' })
export class HeldOrderNotFound {
  @Field(() => ID)
  heldOrderId: string;

  constructor(heldOrderId: string) {
    this.heldOrderId = heldOrderId;
  }
}
