import { Args, Authorized, Mutation, Query, Resolver } from 'type-graphql';
import { Guarded, Idempotent } from 'graphql-idempotency/type-graphql';
import type { GuardedAttempt } from 'graphql-idempotency';
import type { PreparedChange } from '../lifecycle/applied-change';
import { DismissHeldOrderArgs, HeldOrdersArgs, ReleaseHeldOrderArgs } from './held-order.args';
import { DismissHeldOrderIdempotency, ReleaseHeldOrderIdempotency } from './held-order.idempotency';
import type { DismissRequest, HeldOrderService, ReleaseRequest } from './held-order.service';
import { HeldOrder, HeldOrderStatus } from './held-order.type';
import { DismissHeldOrderResult, ReleaseHeldOrderResult } from './results/held-order-results.union';

/** Held possible duplicates, for admins: list, release, dismiss (docs/order-lifecycle.md). */
@Resolver()
export class HeldOrderResolver {
  constructor(private readonly service: HeldOrderService) {}

  @Authorized('admin')
  @Query(() => [HeldOrder], {
    description:
      'Admin only: held orders in a status (default HELD), the most recently held first, a page at a time (`after`).',
  })
  async heldOrders(@Args(() => HeldOrdersArgs) args: HeldOrdersArgs): Promise<HeldOrder[]> {
    const page = { first: args.first ?? 20, after: args.after ?? null };
    const rows = await this.service.list(args.status ?? HeldOrderStatus.HELD, page);
    return rows.map((row) => new HeldOrder(row));
  }

  @Authorized('admin')
  @Idempotent(ReleaseHeldOrderIdempotency)
  @Mutation(() => ReleaseHeldOrderResult, {
    description: 'Admin only: places a held order, once, under its own key (stock rules apply).',
  })
  releaseHeldOrder(
    @Args(() => ReleaseHeldOrderArgs) _args: ReleaseHeldOrderArgs,
    @Guarded() attempt: GuardedAttempt<PreparedChange<ReleaseRequest>>,
  ): Promise<ReleaseHeldOrderResult> {
    return this.service.release(attempt);
  }

  @Authorized('admin')
  @Idempotent(DismissHeldOrderIdempotency)
  @Mutation(() => DismissHeldOrderResult, { description: 'Admin only: drops a held order; no order comes of it.' })
  dismissHeldOrder(
    @Args(() => DismissHeldOrderArgs) _args: DismissHeldOrderArgs,
    @Guarded() attempt: GuardedAttempt<PreparedChange<DismissRequest>>,
  ): Promise<DismissHeldOrderResult> {
    return this.service.dismiss(attempt);
  }
}
