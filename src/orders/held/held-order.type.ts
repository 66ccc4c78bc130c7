import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SalesChannel } from '../../sales-channel/sales-channel.type';
import { ShippingAddress } from '../shipping-address.type';
import type { HeldOrderRow } from './held-order';

/** Where a held order stands (the `status` column). */
export enum HeldOrderStatus {
  HELD = 'HELD',
  RELEASED = 'RELEASED',
  DISMISSED = 'DISMISSED',
  PLACED = 'PLACED',
}
registerEnumType(HeldOrderStatus, {
  name: 'HeldOrderStatus',
  description:
    'HELD: waiting for an admin. RELEASED / DISMISSED: an admin placed it / dropped it. PLACED: an order of the customer settled it (a retry of its key, or the same content confirmed under another key).',
  valuesConfig: {
    HELD: { description: 'Waiting for an admin to release or dismiss it.' },
    RELEASED: { description: 'An admin released it: its order was placed, once, under its key (orderId).' },
    DISMISSED: { description: 'An admin dismissed it: no order came of it.' },
    PLACED: { description: 'An order of the customer settled it (orderId): a retry of its key, or a confirmation.' },
  },
});

@ObjectType({ description: 'A line of a held order, as it was requested.' })
export class HeldOrderLine {
  @Field({ description: 'The SKU (trimmed, upper case).' })
  sku!: string;

  @Field(() => Int, { description: 'Units requested (lines of one SKU summed).' })
  quantity!: number;
}

@ObjectType({
  description:
    'A new-key order the possible-duplicate check held, from any door: nothing was created; an admin can release it (placed once, under its key) or dismiss it.',
})
export class HeldOrder {
  @Field(() => ID, { description: "The held order's id (a UUID): for releaseHeldOrder and dismissHeldOrder." })
  id: string;

  @Field(() => ID, { description: 'The customer whose order it is.' })
  customerId: string;

  @Field({ description: 'The key it was sent with (for webhook and POS orders, the key their door derives).' })
  idempotencyKey: string;

  @Field(() => SalesChannel, { description: 'The door it came through.' })
  channel: SalesChannel;

  @Field(() => String, { nullable: true, description: 'The source within the channel (a marketplace, a store).' })
  source: string | null;

  @Field(() => String, { nullable: true, description: "The order's id in its source, for webhook and POS orders." })
  externalId: string | null;

  @Field(() => HeldOrderStatus, { description: 'Where it stands.' })
  status: HeldOrderStatus;

  @Field({ description: 'The ISO 4217 currency code requested (upper case).' })
  currency: string;

  @Field(() => [HeldOrderLine], { description: 'The lines requested, in SKU order; priced only if it is released.' })
  lines: HeldOrderLine[];

  @Field(() => ShippingAddress, { nullable: true, description: 'The address requested; null when none was given.' })
  shippingAddress: ShippingAddress | null;

  @Field(() => ID, {
    description:
      "The order it was held against: the customer's recent equivalent order under today's rule; with a duplicate-risk model on, an order with the same cart the model scored high enough, equivalent or not.",
  })
  candidateOrderId: string;

  @Field(() => Float, { description: 'How alike the two orders are, from 0 to 1.' })
  similarity: number;

  @Field(() => [String], {
    description: "What it has in common with the candidate, as phrases to show (e.g. 'same items and quantities').",
  })
  reasons: string[];

  @Field(() => ID, { nullable: true, description: 'The order that settled it (RELEASED, PLACED).' })
  orderId: string | null;

  @Field(() => String, { nullable: true, description: 'Who settled it: the admin, or (PLACED) the customer.' })
  resolvedBy: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was settled; null while HELD.' })
  resolvedAt: Date | null;

  @Field(() => String, { nullable: true, description: "The admin's reason; null unless DISMISSED." })
  dismissReason: string | null;

  @Field({ description: 'When it was (last) held.' })
  heldAt: Date;

  constructor(row: HeldOrderRow) {
    this.id = row.id;
    this.customerId = row.customerId;
    this.idempotencyKey = row.idempotencyKey;
    this.channel = row.channel;
    this.source = row.source || null;
    this.externalId = row.externalId;
    this.status = HeldOrderStatus[row.status];
    this.currency = row.request.currency;
    this.lines = row.request.lines.map(({ sku, quantity }) => ({ sku, quantity }));
    this.shippingAddress = row.request.shippingAddress ?? null;
    this.candidateOrderId = row.candidateOrderId;
    this.similarity = row.similarity;
    this.reasons = row.reasons;
    this.orderId = row.orderId;
    this.resolvedBy = row.resolvedBy;
    this.resolvedAt = row.resolvedAt;
    this.dismissReason = row.dismissReason;
    this.heldAt = row.heldAt;
  }
}
