import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../request/request-context';
import { Order } from '../order.type';
import { createOrderRefundsLoader } from './order-refunds.loader';
import type { OrderRefundService } from './order-refund.service';
import { Refund } from './results/refund.type';

/**
 * An order's refunds, as fields of Order: whoever was given the order (its customer; an admin
 * through the lifecycle answers) reads them. Both fields share one per-request loader, so a page
 * of orders with both costs one statement.
 */
@Resolver(() => Order)
export class OrderRefundsResolver {
  /** This server's factory of the per-request refunds loader (the same function, so one loader per request). */
  private readonly refundsLoader = () => createOrderRefundsLoader(this.refundService);

  constructor(private readonly refundService: OrderRefundService) {}

  @FieldResolver(() => [Refund], {
    description: 'Its refunds, oldest first, each its own record (refundOrder). Empty when none.',
  })
  refunds(@Root() order: Order, @Ctx() context: RequestContext): Promise<Refund[]> {
    return context.perRequest(this.refundsLoader).load(order.id);
  }

  @FieldResolver(() => Int, {
    description:
      'Everything refunded on it so far, in cents of `currency`: the sum of `refunds`, 0 when none; never above totalCents.',
  })
  async refundedCents(@Root() order: Order, @Ctx() context: RequestContext): Promise<number> {
    const refunds = await context.perRequest(this.refundsLoader).load(order.id);
    return refunds.reduce((cents, refund) => cents + refund.amountCents, 0);
  }
}
