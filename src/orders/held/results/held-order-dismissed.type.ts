import { Field, ObjectType } from 'type-graphql';
import { ChangeApplied } from '../../lifecycle/results/change-applied.type';
import type { AppliedChange } from '../../lifecycle/applied-change';
import type { DetectionSource } from '../../results/detection-source.type';
import { HeldOrder } from '../held-order.type';
import type { HeldOrderRow } from '../held-order';

@ObjectType({ description: 'The held order was dismissed by this key: no order will come of it.' })
export class HeldOrderDismissed extends ChangeApplied {
  @Field(() => HeldOrder, { description: 'The held order as it is now.' })
  heldOrder: HeldOrder;

  @Field({ description: "The admin's reason (trimmed)." })
  reason: string;

  constructor(held: HeldOrderRow, change: AppliedChange, detectedBy: DetectionSource | null) {
    super(change, detectedBy);
    this.heldOrder = new HeldOrder(held);
    this.reason = change.reason ?? '';
  }
}
