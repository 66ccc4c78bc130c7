import { Field, ObjectType } from 'type-graphql';
import { Order } from '../../order.type';

@ObjectType({ description: 'The order is no longer open (cancelled): it cannot change. Nothing changed.' })
export class OrderNotOpen {
  @Field(() => Order)
  order: Order;

  @Field()
  message: string;

  constructor(order: Order) {
    this.order = order;
    this.message = `This order is ${order.status.toLowerCase()}: it can no longer change.`;
  }
}
