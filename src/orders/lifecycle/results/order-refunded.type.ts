import { Field, Int, ObjectType } from 'type-graphql';
import { Order } from '../../order.type';
import type { DetectionSource } from '../../results/detection-source.type';
import type { AppliedChange } from '../applied-change';
import { refundOf } from '../refund-record';
import { ChangeApplied } from './change-applied.type';
import { Refund } from './refund.type';

@ObjectType({ description: 'The refund was made by this key (or, with detectedBy, earlier by it).' })
export class OrderRefunded extends ChangeApplied {
  @Field(() => Refund, { description: 'The refund this key made.' })
  refund: Refund;

  @Field(() => Order, { description: 'The order refunded (its totalCents is what was paid).' })
  order: Order;

  @Field(() => Int, { description: 'Everything refunded on the order so far, this refund included.' })
  refundedCents: number;

  constructor(order: Order, change: AppliedChange, refundedCents: number, detectedBy: DetectionSource | null) {
    super(change, detectedBy);
    this.order = order;
    this.refund = refundOf(change);
    this.refundedCents = refundedCents;
  }
}
