import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OrderStatus } from '../db/generated/enums';
import { Product } from '../catalog/product.type';
import type { Prisma } from '../db/prisma';
import { SalesChannel } from '../sales-channel/sales-channel.type';
import { ShippingAddress } from './shipping-address.type';

export { OrderStatus, SalesChannel };
registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order stands. An order placed through this API is CONFIRMED at once; a cancellation is final.',
  valuesConfig: {
    PENDING: {
      description: 'Not yet confirmed: only imported order history carries it. Still open (it can be cancelled).',
    },
    CONFIRMED: { description: 'Placed: every order placed through this API starts here, its stock taken then. Open.' },
    CANCELLED: {
      description: 'Cancelled by cancelOrder, or merged into another order as its duplicate (mergedIntoId). Final.',
    },
  },
});

@ObjectType({ description: 'One line of an order: a SKU, its units and the unit price it was ordered at.' })
export class OrderItem {
  @Field({ description: 'The SKU ordered (trimmed, upper case); one line per SKU.' })
  sku!: string;

  @Field(() => Int, { description: 'Units ordered of this SKU (repeated lines of the request summed).' })
  quantity!: number;

  @Field(() => Int, { description: 'The catalog price when the order was placed.' })
  unitPriceCents!: number;

  /** Resolved per request through the product DataLoader (see OrderItemResolver). */
  @Field(() => Product, {
    description: 'The catalog product as it is now: its price and stock may have changed since the order.',
  })
  product?: Product;

  productId!: string;
  orderId!: string;
}

/** Order's description (the type). */
const ORDER =
  'An order, created once per idempotency key and priced from the catalog when placed. Afterwards only a ' +
  'cancellation (or a duplicate merge) and changeShippingAddress change it; refunds are recorded beside it ' +
  '(refunds, refundedCents).';

@ObjectType({ description: ORDER })
export class Order {
  @Field(() => ID, { description: "The order's id (a UUID)." })
  id!: string;

  @Field(() => ID, {
    description:
      'The customer it belongs to: the caller who placed it, or the customer a marketplace or POS door named.',
  })
  customerId!: string;

  @Field(() => OrderStatus, { description: 'Where the order stands.' })
  status!: OrderStatus;

  @Field(() => SalesChannel, { description: 'The door the order came in through.' })
  channel!: SalesChannel;

  @Field({ description: 'The ISO 4217 currency code (upper case) of every price in the order.' })
  currency!: string;

  @Field(() => Int, {
    description: 'What the order cost, in cents of `currency`: the sum of its lines. Refunds do not change it.',
  })
  totalCents!: number;

  /** Resolved per request through the items DataLoader (see OrderResolver). */
  @Field(() => [OrderItem], { description: 'Its lines, one per SKU, in SKU order.' })
  items?: OrderItem[];

  @Field({
    description:
      'The key it was created under, scoped to its customer (marketplace and POS orders: the key their door derives).',
  })
  idempotencyKey!: string;

  @Field({ description: 'When the order was placed.' })
  createdAt!: Date;

  /** Stored as JSON with exactly these fields (see parseOrderRequest). */
  @Field(() => ShippingAddress, {
    nullable: true,
    description: 'Where to deliver it, as last set; null when the order was placed without an address.',
  })
  shippingAddress?: ShippingAddress | Prisma.JsonValue | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Created although this equivalent recent order existed (flagged or confirmed).',
  })
  possibleDuplicateOfId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Cancelled as a duplicate of this order by a dedupe merge.' })
  mergedIntoId?: string | null;

  fingerprint!: string;

  /** The one-time order token this order consumed (not exposed: a token is a secret). */
  orderTokenId?: string | null;
}
