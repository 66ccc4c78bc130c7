import { Field, ObjectType } from 'type-graphql';
import { Order } from '../../order.type';

@ObjectType({ description: 'The order is no longer open (cancelled): it cannot change. Nothing changed.' })
export class OrderNotOpen {
  @Field(() => Order, { description: 'The order as it is now.' })
  order: Order;

  @Field({ description: 'A sentence naming its status, e.g. "This order is cancelled: it can no longer change."' })
  message: string;

  constructor(order: Order) {
    this.order = order;
    this.message = `This order is ${order.status.toLowerCase()}: it can no longer change.`;
  }
}
