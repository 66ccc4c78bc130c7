import { Field, ObjectType } from 'type-graphql';
import { Order } from '../order.type';
import { DetectionSource } from './detection-source.type';

@ObjectType({
  description:
    'The same customer sent the same key with the same payload before (or an order token an order already used, or a confirmation of a held order an admin had released): here is that order. Nothing new was created.',
})
export class DuplicateDetected {
  @Field(() => Order)
  originalOrder: Order;

  @Field()
  idempotencyKey: string;

  @Field(() => DetectionSource)
  detectedBy: DetectionSource;

  @Field()
  firstSeenAt: Date;

  constructor(originalOrder: Order, detectedBy: DetectionSource) {
    this.originalOrder = originalOrder;
    this.idempotencyKey = originalOrder.idempotencyKey;
    this.detectedBy = detectedBy;
    this.firstSeenAt = originalOrder.createdAt;
  }
}
