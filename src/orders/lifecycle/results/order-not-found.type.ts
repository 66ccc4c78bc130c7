import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'No such order, or not one of the caller’s. Nothing changed.' })
export class OrderNotFound {
  @Field(() => ID, { description: 'The id asked for (in lower case).' })
  orderId: string;

  constructor(orderId: string) {
    this.orderId = orderId;
  }
}
