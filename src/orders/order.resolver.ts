import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { CreateOrderInput } from './create-order.input';
import { createOrderIdempotency } from './create-order.idempotency';
import { CreateOrderResult } from './create-order-result.union';
import { OrderPlacementService } from './order-placement.service';
import { DEFAULT_PAGE_SIZE, OrderService } from './order.service';
import { Order, OrderItem } from './order.type';

@Resolver(() => Order)
export class OrderResolver {
  constructor(
    private readonly orderService: OrderService,
    private readonly placement: OrderPlacementService,
  ) {}

  @Authorized()
  @Query(() => Order, { nullable: true, description: "The caller's order, or null when it does not exist or belongs to someone else." })
  order(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<Order | null> {
    return this.orderService.findForCustomer(id, context.requireViewer().customerId);
  }

  @Authorized()
  @Query(() => [Order], { description: "The caller's orders, newest first." })
  orders(
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE }) first: number | null,
    @Ctx() context: GraphQLContext,
  ): Promise<Order[]> {
    return this.orderService.listForCustomer(context.requireViewer().customerId, first ?? DEFAULT_PAGE_SIZE);
  }

  @Authorized()
  @Idempotent(createOrderIdempotency)
  @Mutation(() => CreateOrderResult)
  createOrder(
    @Arg('idempotencyKey') idempotencyKey: string,
    @Arg('input', () => CreateOrderInput) input: CreateOrderInput,
    @Ctx() context: GraphQLContext,
  ): Promise<CreateOrderResult> {
    return this.placement.placeOrder(context.requireViewer().customerId, idempotencyKey, input);
  }

  @FieldResolver(() => [OrderItem])
  items(@Root() order: Order, @Ctx() context: GraphQLContext): OrderItem[] | Promise<OrderItem[]> {
    return order.items ?? context.loaders.orderItems.load(order.id);
  }
}
