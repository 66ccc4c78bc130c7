import { Field, Float, ObjectType } from 'type-graphql';
import { Order } from '../order.type';

@ObjectType({
  description:
    'A different key, but the same customer placed an equivalent order moments ago. Nothing was created: to place it anyway, send it again with a new key and confirmPossibleDuplicate: true.',
})
export class PossibleDuplicate {
  @Field(() => Order, { description: 'The recent equivalent order.' })
  candidate: Order;

  @Field(() => Float, { description: 'How alike the two orders are, from 0 to 1.' })
  similarity: number;

  @Field(() => [String], { description: 'What the two orders have in common.' })
  reasons: string[];

  @Field(() => Float, {
    nullable: true,
    description:
      'How likely this order is a duplicate of the candidate, from 0 to 1, when a duplicate-risk model decided to hold it; null under the static rule.',
  })
  riskScore: number | null;

  /** Not a GraphQL field: the model that gave riskScore (the audit log records it). */
  readonly riskModelVersion: string | null;

  constructor(
    candidate: Order,
    similarity: number,
    reasons: string[],
    risk: { score: number | null; modelVersion: string | null } = { score: null, modelVersion: null },
  ) {
    this.candidate = candidate;
    this.similarity = similarity;
    this.reasons = reasons;
    this.riskScore = risk.score;
    this.riskModelVersion = risk.modelVersion;
  }
}
