import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A line of a refund made by lines: a SKU of the order and the units refunded.' })
export class RefundLine {
  @Field({ description: 'The SKU refunded (trimmed, upper case), a line of the order.' })
  sku!: string;

  @Field(() => Int, { description: 'Units refunded, each at the unit price the order was placed at.' })
  quantity!: number;
}

@ObjectType({ description: 'One refund of an order: its own record, made once per key.' })
export class Refund {
  @Field(() => ID, { description: "The refund's id (a UUID)." })
  id!: string;

  @Field(() => ID, { description: 'The order refunded.' })
  orderId!: string;

  @Field(() => Int, { description: "What this refund pays back, in cents of the order's currency." })
  amountCents!: number;

  @Field(() => [RefundLine], {
    nullable: true,
    description: 'The lines refunded, in SKU order, when the refund was asked for by lines; null when by amountCents.',
  })
  lines!: RefundLine[] | null;

  @Field({ description: 'When the refund was made.' })
  createdAt!: Date;
}
