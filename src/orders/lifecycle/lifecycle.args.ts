import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ShippingAddress } from '../shipping-address.type';

const KEY_DESCRIPTION =
  'Scoped to the caller and the operation; the same key with the same arguments returns the first answer.';

@ArgsType()
export class CancelOrderArgs {
  @Field(() => ID)
  orderId!: string;

  @Field({ description: KEY_DESCRIPTION })
  idempotencyKey!: string;

  @Field({ description: 'Why the order is cancelled (kept with the cancellation).' })
  reason!: string;
}

@InputType({ description: 'Part of an order line to refund, at the price it was ordered at.' })
export class RefundLineInput {
  @Field()
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@ArgsType()
export class RefundOrderArgs {
  @Field(() => ID)
  orderId!: string;

  @Field({ description: KEY_DESCRIPTION })
  idempotencyKey!: string;

  @Field(() => Int, { nullable: true, description: 'The amount to refund (cents); give this or `lines`.' })
  amountCents?: number | null;

  @Field(() => [RefundLineInput], { nullable: true, description: 'Lines to refund; give this or `amountCents`.' })
  lines?: RefundLineInput[] | null;
}

@ArgsType()
export class ChangeShippingAddressArgs {
  @Field(() => ID)
  orderId!: string;

  @Field({ description: KEY_DESCRIPTION })
  idempotencyKey!: string;

  @Field(() => ShippingAddress)
  address!: ShippingAddress;
}

@ArgsType()
export class AdjustInventoryArgs {
  @Field()
  sku!: string;

  @Field(() => Int, { description: 'Units to add (negative: to remove).' })
  delta!: number;

  @Field({ description: KEY_DESCRIPTION })
  idempotencyKey!: string;

  @Field({ description: 'Why the stock changes (kept with the adjustment).' })
  reason!: string;
}
