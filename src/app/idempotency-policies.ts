import { ExternalOrderIdempotency } from '../channels/external-order.idempotency';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import { CreateOrderIdempotency } from '../orders/create-order.idempotency';
import { DismissHeldOrderIdempotency, ReleaseHeldOrderIdempotency } from '../orders/held/held-order.idempotency';
import { AdjustInventoryIdempotency } from '../orders/lifecycle/adjust-inventory.idempotency';
import { CancelOrderIdempotency } from '../orders/lifecycle/cancel-order.idempotency';
import type { ChangeAnswers } from '../orders/lifecycle/change-answers';
import { ChangeShippingAddressIdempotency } from '../orders/lifecycle/change-shipping-address.idempotency';
import type { LifecyclePolicies } from '../orders/lifecycle/lifecycle-gate';
import { RefundOrderIdempotency } from '../orders/lifecycle/refund-order.idempotency';
import type { OrderService } from '../orders/order.service';
import type { OrderAdmission } from '../rate-limit/order-admission';
import type { DuplicateRiskScoring } from '../risk/risk-scoring';

/** Every idempotency policy of one server (the operations graphql-idempotency guards). */
export interface IdempotencyPolicies extends LifecyclePolicies {
  /** createOrder, and the doors that send the caller's Idempotency-Key. */
  createOrder: CreateOrderIdempotency;
  /** Orders named by their door (a marketplace order id, a POS receipt). */
  externalOrder: ExternalOrderIdempotency;
}

/** What the policies are built on. */
export interface PolicyServices {
  orders: OrderService;
  orderTokens: OrderTokenService;
  orderAdmission: OrderAdmission;
  /** Duplicate-risk scoring, if a model is configured: its customer count rides with the rate limit's call. */
  risk?: DuplicateRiskScoring | null;
  /** How a lifecycle change's answer is read back for a repeat. */
  changeAnswers: ChangeAnswers;
}

/**
 * The one place a policy is registered: the container serves these instances to `@Idempotent`
 * (by class), and the doors other than GraphQL (channel-gate.ts, lifecycle-gate.ts) take theirs
 * from here, so a key means the same thing through every door. A new idempotent mutation adds its line.
 */
export function buildIdempotencyPolicies(services: PolicyServices): IdempotencyPolicies {
  const { orders, orderTokens, orderAdmission, changeAnswers, risk } = services;
  return {
    createOrder: new CreateOrderIdempotency(orders, orderTokens, orderAdmission, risk ?? null),
    externalOrder: new ExternalOrderIdempotency(orders, orderTokens, orderAdmission),
    cancel: new CancelOrderIdempotency(changeAnswers),
    refund: new RefundOrderIdempotency(changeAnswers),
    changeAddress: new ChangeShippingAddressIdempotency(changeAnswers),
    adjust: new AdjustInventoryIdempotency(changeAnswers),
    release: new ReleaseHeldOrderIdempotency(changeAnswers),
    dismiss: new DismissHeldOrderIdempotency(changeAnswers),
  };
}
