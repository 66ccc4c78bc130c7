import { Field, ObjectType } from 'type-graphql';
import { HeldOrder } from '../held-order.type';
import type { HeldOrderRow } from '../held-order';

@ObjectType({
  description:
    'The held order was settled before (released or dismissed by another key, or placed by an order of the customer). Nothing changed.',
})
export class HeldOrderAlreadyResolved {
  @Field(() => HeldOrder, { description: 'The held order as it is now: its status, and the order that settled it.' })
  heldOrder: HeldOrder;

  @Field({ description: 'A sentence naming its status, e.g. "This held order is already released."' })
  message: string;

  constructor(held: HeldOrderRow) {
    this.heldOrder = new HeldOrder(held);
    this.message = `This held order is already ${held.status.toLowerCase()}.`;
  }
}
