import { Field, Float, ObjectType } from 'type-graphql';
import type { DuplicateVerdict, VerdictAudit } from '../duplicate-decision';
import { verdictAudit } from '../duplicate-decision';
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

  /** Not a GraphQL field: what the audit record says of the decision (similarity, the model's score and action). */
  readonly audit: VerdictAudit;

  constructor(candidate: Order, similarity: number, reasons: string[], verdict: DuplicateVerdict | null = null) {
    this.candidate = candidate;
    this.similarity = similarity;
    this.reasons = reasons;
    // Only a model that decided shows its score to the client; a shadow score stays in the audit log.
    this.riskScore = verdict && verdict.decidedBy !== 'static-rule' ? verdict.score : null;
    this.audit = { similarity, ...verdictAudit(verdict) };
  }
}
