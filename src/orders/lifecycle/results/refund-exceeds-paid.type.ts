import { Field, Int, ObjectType } from 'type-graphql';
import { Order } from '../../order.type';

@ObjectType({ description: 'The refund would take the order’s refunds past what was paid. Nothing changed.' })
export class RefundExceedsPaid {
  @Field(() => Order, { description: 'The order as it is now.' })
  order: Order;

  @Field(() => Int, { description: "What was paid, in cents: the order's totalCents." })
  paidCents: number;

  @Field(() => Int, { description: 'Refunded before this request.' })
  refundedCents: number;

  @Field(() => Int, { description: 'What this request asked to refund, in cents (lines at their ordered prices).' })
  requestedCents: number;

  constructor(order: Order, refundedCents: number, requestedCents: number) {
    this.order = order;
    this.paidCents = order.totalCents;
    this.refundedCents = refundedCents;
    this.requestedCents = requestedCents;
  }
}
