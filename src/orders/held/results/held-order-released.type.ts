import { Field, ObjectType } from 'type-graphql';
import { ChangeApplied } from '../../lifecycle/results/change-applied.type';
import type { AppliedChange } from '../../lifecycle/applied-change';
import { Order } from '../../order.type';
import type { DetectionSource } from '../../results/detection-source.type';
import { HeldOrder } from '../held-order.type';
import type { HeldOrderRow } from '../held-order';

@ObjectType({ description: 'The held order was released by this key: its order was placed, once, under the held key.' })
export class HeldOrderReleased extends ChangeApplied {
  @Field(() => HeldOrder, { description: 'The held order as it is now (RELEASED).' })
  heldOrder: HeldOrder;

  @Field(() => Order, { description: 'The order placed, as it is now.' })
  order: Order;

  constructor(held: HeldOrderRow, order: Order, change: AppliedChange, detectedBy: DetectionSource | null) {
    super(change, detectedBy);
    this.heldOrder = new HeldOrder(held);
    this.order = order;
  }
}
