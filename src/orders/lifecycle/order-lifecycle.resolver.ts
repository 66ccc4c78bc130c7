import { Args, Authorized, Mutation, Resolver } from 'type-graphql';
import { Guarded, Idempotent } from 'graphql-idempotency/type-graphql';
import type { GuardedAttempt } from 'graphql-idempotency';
import type { PreparedChange } from './applied-change';
import { AdjustInventoryIdempotency } from './adjust-inventory.idempotency';
import { CancelOrderIdempotency } from './cancel-order.idempotency';
import { ChangeShippingAddressIdempotency } from './change-shipping-address.idempotency';
import type { AdjustmentRequest, InventoryAdjustmentService } from './inventory-adjustment.service';
import { AdjustInventoryArgs, CancelOrderArgs, ChangeShippingAddressArgs, RefundOrderArgs } from './lifecycle.args';
import type { AddressRequest, CancelRequest, OrderLifecycleService, RefundRequest } from './order-lifecycle.service';
import { RefundOrderIdempotency } from './refund-order.idempotency';
import {
  AdjustInventoryResult,
  CancelOrderResult,
  ChangeShippingAddressResult,
  RefundOrderResult,
} from './results/lifecycle-results.union';

/** The order's life after createOrder: each mutation keyed, guarded, and one line (docs/order-lifecycle.md). */
@Resolver()
export class OrderLifecycleResolver {
  constructor(
    private readonly lifecycle: OrderLifecycleService,
    private readonly inventory: InventoryAdjustmentService,
  ) {}

  @Authorized()
  @Idempotent(CancelOrderIdempotency)
  @Mutation(() => CancelOrderResult, {
    description: "Cancels one of the caller's orders (an admin's: any), returning its stock once.",
  })
  cancelOrder(
    @Args(() => CancelOrderArgs) _args: CancelOrderArgs,
    @Guarded() attempt: GuardedAttempt<PreparedChange<CancelRequest>>,
  ): Promise<CancelOrderResult> {
    return this.lifecycle.cancel(attempt);
  }

  @Authorized('admin')
  @Idempotent(RefundOrderIdempotency)
  @Mutation(() => RefundOrderResult, {
    description: 'Admin only: refunds part or all of an order; the refunds never exceed what was paid.',
  })
  refundOrder(
    @Args(() => RefundOrderArgs) _args: RefundOrderArgs,
    @Guarded() attempt: GuardedAttempt<PreparedChange<RefundRequest>>,
  ): Promise<RefundOrderResult> {
    return this.lifecycle.refund(attempt);
  }

  @Authorized()
  @Idempotent(ChangeShippingAddressIdempotency)
  @Mutation(() => ChangeShippingAddressResult, {
    description: "Changes the shipping address of one of the caller's open orders (an admin's: any).",
  })
  changeShippingAddress(
    @Args(() => ChangeShippingAddressArgs) _args: ChangeShippingAddressArgs,
    @Guarded() attempt: GuardedAttempt<PreparedChange<AddressRequest>>,
  ): Promise<ChangeShippingAddressResult> {
    return this.lifecycle.changeAddress(attempt);
  }

  @Authorized('admin')
  @Idempotent(AdjustInventoryIdempotency)
  @Mutation(() => AdjustInventoryResult, {
    description: 'Admin only: moves a product’s stock by a delta, once per key; never below zero.',
  })
  adjustInventory(
    @Args(() => AdjustInventoryArgs) _args: AdjustInventoryArgs,
    @Guarded() attempt: GuardedAttempt<PreparedChange<AdjustmentRequest>>,
  ): Promise<AdjustInventoryResult> {
    return this.inventory.adjust(attempt);
  }
}
