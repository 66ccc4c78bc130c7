import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Guarded, Idempotent } from 'graphql-idempotency/type-graphql';
import type { GuardedAttempt } from 'graphql-idempotency';
import type { RequestContext } from '../request/request-context';
import { CreateOrderArgs } from './create-order.args';
import { CreateOrderIdempotency, takeRiskCountedAtAdmission } from './create-order.idempotency';
import type { PreparedOrder } from './create-order.idempotency';
import { createOrderItemsLoader } from './order-items.loader';
import type { OrderPlacementService } from './order-placement.service';
import { DEFAULT_PAGE_SIZE } from './order.service';
import type { OrderService } from './order.service';
import { Order, OrderItem } from './order.type';
import { OrdersArgs } from './orders.args';
import { CreateOrderResult } from './results/create-order-result.union';

/** createOrder's description. */
const CREATE_ORDER =
  'Places an order once per idempotency key: a retry with the same key and input gets the same order ' +
  '(DuplicateDetected), never a second one. Every expected outcome is a member of CreateOrderResult.';

@Resolver(() => Order)
export class OrderResolver {
  /** This server's factory of the per-request items loader (the same function, so one loader per request). */
  private readonly itemsLoader = () => createOrderItemsLoader(this.orderService);

  constructor(
    private readonly orderService: OrderService,
    private readonly placement: OrderPlacementService,
  ) {}

  @Authorized()
  @Query(() => Order, {
    nullable: true,
    description: "The caller's order, or null when it does not exist or belongs to someone else.",
  })
  order(
    @Arg('id', () => ID, { description: "The order's id (a UUID, any case)." }) id: string,
    @Ctx() context: RequestContext,
  ): Promise<Order | null> {
    return this.orderService.findForCustomer(id, context.requireViewer().customerId);
  }

  @Authorized()
  @Query(() => [Order], { description: "The caller's orders, newest first, a page at a time (`after`)." })
  orders(@Args(() => OrdersArgs) args: OrdersArgs, @Ctx() context: RequestContext): Promise<Order[]> {
    return this.orderService.listForCustomer(context.requireViewer().customerId, {
      first: args.first ?? DEFAULT_PAGE_SIZE,
      after: args.after ?? null,
    });
  }

  @Authorized()
  @Idempotent(CreateOrderIdempotency)
  @Mutation(() => CreateOrderResult, { description: CREATE_ORDER })
  createOrder(
    @Args(() => CreateOrderArgs) _args: CreateOrderArgs,
    @Guarded() attempt: GuardedAttempt<PreparedOrder>,
    @Ctx() context: RequestContext,
  ): Promise<CreateOrderResult> {
    return this.placement.placeOrder(attempt, takeRiskCountedAtAdmission(context, attempt.scope.key));
  }

  @FieldResolver(() => [OrderItem])
  items(@Root() order: Order, @Ctx() context: RequestContext): OrderItem[] | Promise<OrderItem[]> {
    return order.items ?? context.perRequest(this.itemsLoader).load(order.id);
  }
}
