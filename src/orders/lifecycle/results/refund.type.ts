import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One refund of an order: its own record, made once per key.' })
export class Refund {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => Int)
  amountCents!: number;

  @Field()
  createdAt!: Date;
}
