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

  constructor(candidate: Order, similarity: number, reasons: string[]) {
    this.candidate = candidate;
    this.similarity = similarity;
    this.reasons = reasons;
  }
}
