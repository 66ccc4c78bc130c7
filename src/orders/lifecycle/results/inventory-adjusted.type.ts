import { Field, Int, ObjectType } from 'type-graphql';
import { Product } from '../../../catalog/product.type';
import type { DetectionSource } from '../../results/detection-source.type';
import type { AppliedChange } from '../applied-change';
import { ChangeApplied } from './change-applied.type';

@ObjectType({ description: 'The stock was adjusted by this key, once.' })
export class InventoryAdjusted extends ChangeApplied {
  @Field(() => Product, { description: 'The product as it is now.' })
  product: Product;

  @Field(() => Int, { description: 'The units added (negative: removed).' })
  delta: number;

  @Field(() => Int, { description: 'The stock this adjustment left.' })
  stockAfter: number;

  constructor(product: Product, change: AppliedChange, detectedBy: DetectionSource | null) {
    super(change, detectedBy);
    this.product = product;
    this.delta = change.quantityDelta ?? 0;
    this.stockAfter = change.stockAfter ?? 0;
  }
}
