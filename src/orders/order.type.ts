import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OrderStatus } from '../db/generated/enums';
import { Product } from '../catalog/product.type';
import type { Prisma } from '../db/prisma';
import { SalesChannel } from '../sales-channel/sales-channel.type';
import { ShippingAddress } from './shipping-address.type';

export { OrderStatus, SalesChannel };
registerEnumType(OrderStatus, { name: 'OrderStatus' });

@ObjectType()
export class OrderItem {
  @Field()
  sku!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int, { description: 'The catalog price when the order was placed.' })
  unitPriceCents!: number;

  /** Resolved per request through the product DataLoader (see OrderItemResolver). */
  @Field(() => Product)
  product?: Product;

  productId!: string;
  orderId!: string;
}

@ObjectType()
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => SalesChannel)
  channel!: SalesChannel;

  @Field()
  currency!: string;

  @Field(() => Int)
  totalCents!: number;

  /** Resolved per request through the items DataLoader (see OrderResolver). */
  @Field(() => [OrderItem])
  items?: OrderItem[];

  @Field()
  idempotencyKey!: string;

  @Field()
  createdAt!: Date;

  /** Stored as JSON with exactly these fields (see parseOrderRequest). */
  @Field(() => ShippingAddress, { nullable: true })
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
