import { Field, ObjectType } from 'type-graphql';
import { Order } from '../../order.type';
import type { DetectionSource } from '../../results/detection-source.type';
import type { AppliedChange } from '../applied-change';
import { ChangeApplied } from './change-applied.type';

@ObjectType({ description: 'The order’s shipping address was changed by this key.' })
export class ShippingAddressChanged extends ChangeApplied {
  @Field(() => Order, { description: 'The order as it is now.' })
  order: Order;

  constructor(order: Order, change: AppliedChange, detectedBy: DetectionSource | null) {
    super(change, detectedBy);
    this.order = order;
  }
}
