import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ShippingAddress } from '../shipping-address.type';
import { REASON_RULE } from './lifecycle-policy';

/**
 * The key argument of a lifecycle or held-order mutation. Optional in the schema because the key
 * may come instead as an operation directive, `cancelOrder(…) @idempotent(key: "…")`, the form
 * Shopify's Admin API takes; a call with neither is answered InvalidIdempotencyKey.
 */
export function IdempotencyKeyField(actor: 'caller' | 'admin'): PropertyDecorator {
  return Field(() => String, {
    nullable: true,
    description:
      `Scoped to the ${actor} and the operation; the same key with the same arguments returns the first answer. ` +
      "Give it here or as the field's @idempotent(key:) directive (both: they must agree).",
  });
}

@ArgsType()
export class CancelOrderArgs {
  @Field(() => ID, { description: 'The order to cancel (a UUID, any case).' })
  orderId!: string;

  @IdempotencyKeyField('caller')
  idempotencyKey?: string | null;

  @Field({ description: `Why the order is cancelled (kept with the cancellation): ${REASON_RULE}` })
  reason!: string;
}

@InputType({ description: 'Part of an order line to refund, at the price it was ordered at.' })
export class RefundLineInput {
  @Field({ description: 'A SKU of the order, compared without case; each SKU at most once per refund.' })
  sku!: string;

  @Field(() => Int, { description: 'Units to refund: 1 or more, at most the units of that line.' })
  quantity!: number;
}

@ArgsType()
export class RefundOrderArgs {
  @Field(() => ID, { description: 'The order to refund (a UUID, any case).' })
  orderId!: string;

  @IdempotencyKeyField('caller')
  idempotencyKey?: string | null;

  @Field(() => Int, { nullable: true, description: 'The amount to refund (cents); give this or `lines`.' })
  amountCents?: number | null;

  @Field(() => [RefundLineInput], { nullable: true, description: 'Lines to refund; give this or `amountCents`.' })
  lines?: RefundLineInput[] | null;
}

@ArgsType()
export class ChangeShippingAddressArgs {
  @Field(() => ID, { description: 'The order to re-address (a UUID, any case).' })
  orderId!: string;

  @IdempotencyKeyField('caller')
  idempotencyKey?: string | null;

  @Field(() => ShippingAddress, { description: 'The new address: it replaces the whole old one.' })
  address!: ShippingAddress;
}

@ArgsType()
export class AdjustInventoryArgs {
  @Field({ description: "The product's SKU, compared without case and surrounding spaces." })
  sku!: string;

  @Field(() => Int, { description: 'Units to add (negative: to remove).' })
  delta!: number;

  @IdempotencyKeyField('caller')
  idempotencyKey?: string | null;

  @Field({ description: `Why the stock changes (kept with the adjustment): ${REASON_RULE}` })
  reason!: string;
}
