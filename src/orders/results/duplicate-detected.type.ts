import { Field, ObjectType } from 'type-graphql';
import { Order } from '../order.type';
import { DetectionSource } from './detection-source.type';

@ObjectType({
  description:
    'The same customer sent the same key with the same payload before (or an order token an order already used, or a confirmation of a held order an admin had released): here is that order. Nothing new was created.',
})
export class DuplicateDetected {
  @Field(() => Order, {
    description: "The order this request repeats: the one its key, its order token or an admin's release stands for.",
  })
  originalOrder: Order;

  @Field({
    description: "The original order's key: not the one sent when an order token or an admin's release answered.",
  })
  idempotencyKey: string;

  @Field(() => DetectionSource, { description: 'Which layer recognised the repeat.' })
  detectedBy: DetectionSource;

  @Field({ description: 'When the original order was created.' })
  firstSeenAt: Date;

  constructor(originalOrder: Order, detectedBy: DetectionSource) {
    this.originalOrder = originalOrder;
    this.idempotencyKey = originalOrder.idempotencyKey;
    this.detectedBy = detectedBy;
    this.firstSeenAt = originalOrder.createdAt;
  }
}
