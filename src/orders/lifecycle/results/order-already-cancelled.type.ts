import { Field, ObjectType } from 'type-graphql';
import { Order } from '../../order.type';

@ObjectType({ description: 'The order was already cancelled (by another key, or a merge). Nothing changed.' })
export class OrderAlreadyCancelled {
  @Field(() => Order, { description: 'The order as it is now (CANCELLED).' })
  order: Order;

  @Field({ description: 'A sentence for a developer: "This order is already cancelled."' })
  message: string;

  constructor(order: Order) {
    this.order = order;
    this.message = 'This order is already cancelled.';
  }
}
