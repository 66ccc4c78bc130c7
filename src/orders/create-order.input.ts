import { Field, InputType, Int } from 'type-graphql';
import { SalesChannel } from './order.type';

@InputType()
export class OrderItemInput {
  @Field()
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@InputType()
export class CreateOrderInput {
  @Field(() => [OrderItemInput])
  items!: OrderItemInput[];

  @Field()
  currency!: string;

  @Field(() => SalesChannel, { nullable: true, defaultValue: SalesChannel.WEB })
  channel?: SalesChannel | null;

  @Field(() => String, { nullable: true, description: 'A one-time token from issueOrderToken; when given it must be valid and unused.' })
  orderToken?: string | null;
}
