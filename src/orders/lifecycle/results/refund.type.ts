import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One refund of an order: its own record, made once per key.' })
export class Refund {
  @Field(() => ID, { description: "The refund's id (a UUID)." })
  id!: string;

  @Field(() => ID, { description: 'The order refunded.' })
  orderId!: string;

  @Field(() => Int, { description: "What this refund pays back, in cents of the order's currency." })
  amountCents!: number;

  @Field({ description: 'When the refund was made.' })
  createdAt!: Date;
}
