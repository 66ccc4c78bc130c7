import { Field, InputType, Int } from 'type-graphql';
import { SalesChannel } from './order.type';
import { ShippingAddress } from './shipping-address.type';

@InputType({ description: 'One line of an order to place: a SKU and how many units of it.' })
export class OrderItemInput {
  @Field({
    description:
      'A catalog SKU, compared without case and surrounding spaces (1 to 64 characters); unknown: ValidationFailed.',
  })
  sku!: string;

  @Field(() => Int, {
    description: 'Units: a whole number of at least 1. Lines of one SKU are summed, at most 10,000 units per SKU.',
  })
  quantity!: number;
}

/** CreateOrderInput's description (the type). */
const CREATE_ORDER_INPUT =
  'An order to place. Prices come from the catalog, never from the client; the caller, items, currency, channel ' +
  'and shippingAddress are what an idempotency key stands for.';

@InputType({ description: CREATE_ORDER_INPUT })
export class CreateOrderInput {
  @Field(() => [OrderItemInput], { description: 'The lines: at least one, at most 100 different SKUs.' })
  items!: OrderItemInput[];

  @Field({
    description:
      'The ISO 4217 currency code, three letters in any case (e.g. EUR); every product ordered must be sold in it.',
  })
  currency!: string;

  @Field(() => SalesChannel, {
    nullable: true,
    defaultValue: SalesChannel.WEB,
    description: 'The door it comes through: WEB (default), MOBILE or API; MARKETPLACE and POS for admins only.',
  })
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
