import { Field, ObjectType } from 'type-graphql';
import { Order } from '../../order.type';
import type { DetectionSource } from '../../results/detection-source.type';
import type { AppliedChange } from '../applied-change';
import { ChangeApplied } from './change-applied.type';

@ObjectType({ description: 'The order was cancelled by this key: the stock it took was returned, once.' })
export class OrderCancelled extends ChangeApplied {
  @Field(() => Order, { description: 'The order as it is now.' })
  order: Order;

  @Field({ description: 'The reason given (trimmed).' })
  reason: string;

  @Field({ description: 'When it was cancelled (on a repeat, still the first time).' })
  cancelledAt: Date;

  constructor(order: Order, change: AppliedChange, detectedBy: DetectionSource | null) {
    super(change, detectedBy);
    this.order = order;
    this.reason = change.reason ?? '';
    this.cancelledAt = change.createdAt;
  }
}
