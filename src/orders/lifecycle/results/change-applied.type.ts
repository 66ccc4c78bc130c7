import { Field, ObjectType } from 'type-graphql';
import { DetectionSource } from '../../results/detection-source.type';
import type { AppliedChange } from '../applied-change';

/**
 * What every answer that stands for an applied change has: the change (kept for repeats, not a
 * GraphQL field) and, on a repeat, the layer that recognised it. A repeat with the same key gets
 * the same member as the first request, with `detectedBy` set. Its members inherit its field
 * (unreferenced itself, it does not appear in the schema).
 */
@ObjectType()
export abstract class ChangeApplied {
  @Field(() => DetectionSource, {
    nullable: true,
    description: 'Set when this repeats an earlier request with the same key: the layer that recognised it.',
  })
  detectedBy: DetectionSource | null;

  readonly change: AppliedChange;

  constructor(change: AppliedChange, detectedBy: DetectionSource | null) {
    this.change = change;
    this.detectedBy = detectedBy;
  }
}
