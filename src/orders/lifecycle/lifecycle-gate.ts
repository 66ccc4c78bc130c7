import type { IdempotencyGuard, IdempotencyRequest } from 'graphql-idempotency';
import type { RequestContext } from '../../request/request-context';
import type { AdjustInventoryIdempotency } from './adjust-inventory.idempotency';
import type { CancelOrderIdempotency } from './cancel-order.idempotency';
import type { ChangeShippingAddressIdempotency } from './change-shipping-address.idempotency';
import type { InventoryAdjustmentService } from './inventory-adjustment.service';
import type {
  AdjustInventoryArgs,
  CancelOrderArgs,
  ChangeShippingAddressArgs,
  RefundOrderArgs,
} from './lifecycle.args';
import type { OrderLifecycleService } from './order-lifecycle.service';
import type { RefundOrderIdempotency } from './refund-order.idempotency';
import type { DismissHeldOrderArgs, ReleaseHeldOrderArgs } from '../held/held-order.args';
import type { DismissHeldOrderIdempotency, ReleaseHeldOrderIdempotency } from '../held/held-order.idempotency';
import type { HeldOrderService } from '../held/held-order.service';
import type { DismissHeldOrderResult, ReleaseHeldOrderResult } from '../held/results/held-order-results.union';
import type {
  AdjustInventoryResult,
  CancelOrderResult,
  ChangeShippingAddressResult,
  RefundOrderResult,
} from './results/lifecycle-results.union';

/** What a lifecycle call needs from its request: the caller, the request id, a logger. */
export type LifecycleRequest = RequestContext & IdempotencyRequest;

/**
 * The lifecycle mutations for doors other than GraphQL (the partner REST API): the same guard,
 * the same policy instances (app/idempotency-policies.ts; the GraphQL container serves these very ones) and the same services
 * as `@Idempotent` on OrderLifecycleResolver, so a key means the same thing through either door.
 */
/** The policies of the lifecycle mutations (built with every other one in app/idempotency-policies.ts). */
export interface LifecyclePolicies {
  cancel: CancelOrderIdempotency;
  refund: RefundOrderIdempotency;
  changeAddress: ChangeShippingAddressIdempotency;
  adjust: AdjustInventoryIdempotency;
  release: ReleaseHeldOrderIdempotency;
  dismiss: DismissHeldOrderIdempotency;
}

export class LifecycleGate {
  constructor(
    private readonly guard: IdempotencyGuard,
    private readonly policies: LifecyclePolicies,
    private readonly lifecycle: OrderLifecycleService,
    private readonly inventory: InventoryAdjustmentService,
    private readonly heldOrders: HeldOrderService,
  ) {}

  cancel(args: CancelOrderArgs, request: LifecycleRequest): Promise<CancelOrderResult> {
    return this.guard.run(this.policies.cancel, args, request, (attempt) => this.lifecycle.cancel(attempt));
  }

  refund(args: RefundOrderArgs, request: LifecycleRequest): Promise<RefundOrderResult> {
    return this.guard.run(this.policies.refund, args, request, (attempt) => this.lifecycle.refund(attempt));
  }

  changeAddress(args: ChangeShippingAddressArgs, request: LifecycleRequest): Promise<ChangeShippingAddressResult> {
    return this.guard.run(this.policies.changeAddress, args, request, (attempt) =>
      this.lifecycle.changeAddress(attempt),
    );
  }

  adjust(args: AdjustInventoryArgs, request: LifecycleRequest): Promise<AdjustInventoryResult> {
    return this.guard.run(this.policies.adjust, args, request, (attempt) => this.inventory.adjust(attempt));
  }

  release(args: ReleaseHeldOrderArgs, request: LifecycleRequest): Promise<ReleaseHeldOrderResult> {
    return this.guard.run(this.policies.release, args, request, (attempt) => this.heldOrders.release(attempt));
  }

  dismiss(args: DismissHeldOrderArgs, request: LifecycleRequest): Promise<DismissHeldOrderResult> {
    return this.guard.run(this.policies.dismiss, args, request, (attempt) => this.heldOrders.dismiss(attempt));
  }
}
