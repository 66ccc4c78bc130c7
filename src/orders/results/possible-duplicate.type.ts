import { Field, Float, ID, ObjectType } from 'type-graphql';
import type { DuplicateVerdict, VerdictAudit } from '../duplicate-decision';
import { verdictAudit } from '../duplicate-decision';
import { Order } from '../order.type';

@ObjectType({
  description:
    'A different key, but the same customer placed an equivalent order moments ago (or, with a duplicate-risk model on, an order with the same cart that the model scores as likely the same). Nothing was created: to place it anyway, send it again with a new key and confirmPossibleDuplicate: true. The order is kept as a held order an admin can release or dismiss (heldOrderId).',
})
export class PossibleDuplicate {
  @Field(() => Order, {
    description:
      "The order this one was held against: under today's rule, the customer's recent equivalent order (within SEMANTIC_DUPLICATE_WINDOW_MS); with a duplicate-risk model on, any of the customer's orders with the same cart within RISK_CANDIDATE_LOOKBACK_MS that the model scores high enough, equivalent or not (similarity and reasons say how alike they are).",
  })
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

  @Field(() => ID, {
    nullable: true,
    description:
      'The held order kept for this request (its key, content and door): an admin can release it (releaseHeldOrder) or dismiss it (dismissHeldOrder).',
  })
  heldOrderId: string | null;

  /** Not a GraphQL field: what the audit record says of the decision (similarity, the model's score and action). */
  readonly audit: VerdictAudit;

  /** Not a GraphQL field: the hold's audit record was written with the held order, in its transaction. */
  readonly recorded: boolean;

  /** Not a GraphQL field: a held key sent again, answered with its hold (a retry, not a new attempt). */
  readonly resent: boolean;

  constructor(
    candidate: Order,
    similarity: number,
    reasons: string[],
    verdict: DuplicateVerdict | null = null,
    heldOrderId: string | null = null,
  ) {
    this.candidate = candidate;
    this.similarity = similarity;
    this.reasons = reasons;
    this.heldOrderId = heldOrderId;
    this.recorded = heldOrderId !== null;
    this.resent = verdict?.resent === true;
    // Only a model that decided shows its score to the client; a shadow score stays in the audit log.
    this.riskScore = verdict && verdict.decidedBy !== 'static-rule' ? verdict.score : null;
    this.audit = { similarity, ...verdictAudit(verdict) };
  }
}
