import { Field, InputType, Int } from 'type-graphql';
import { SalesChannel } from './order.type';
import { ShippingAddress } from './shipping-address.type';

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

  @Field(() => String, {
    nullable: true,
    description: 'A one-time token from issueOrderToken; when given it must be valid and unused.',
  })
  orderToken?: string | null;

  @Field(() => ShippingAddress, {
    nullable: true,
    description: 'Where to deliver; part of the payload an idempotency key stands for.',
  })
  shippingAddress?: ShippingAddress | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      'Place the order although it looks like a recent one (the answer was PossibleDuplicate): send it with a new key.',
  })
  confirmPossibleDuplicate?: boolean | null;
}
