import { Field, ObjectType } from 'type-graphql';
import { Order } from '../../order.type';

@ObjectType({ description: 'The order was already cancelled (by another key, or a merge). Nothing changed.' })
export class OrderAlreadyCancelled {
  @Field(() => Order)
  order: Order;

  @Field()
  message: string;

  constructor(order: Order) {
    this.order = order;
    this.message = 'This order is already cancelled.';
  }
}
