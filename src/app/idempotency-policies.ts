import { ExternalOrderIdempotency } from '../channels/external-order.idempotency';
import type { OrderTokenService } from '../order-tokens/order-token.service';
import { CreateOrderIdempotency } from '../orders/create-order.idempotency';
import type { OrderService } from '../orders/order.service';
import type { OrderAdmission } from '../rate-limit/order-admission';

/** Every idempotency policy of one server (the operations graphql-idempotency guards). */
export interface IdempotencyPolicies {
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
}

/**
 * The one place a policy is registered: the container serves these instances to `@Idempotent`
 * (by class) and the channel doors take them from here. A new idempotent mutation adds its line.
 */
export function buildIdempotencyPolicies(services: PolicyServices): IdempotencyPolicies {
  const { orders, orderTokens, orderAdmission } = services;
  return {
    createOrder: new CreateOrderIdempotency(orders, orderTokens, orderAdmission),
    externalOrder: new ExternalOrderIdempotency(orders, orderTokens, orderAdmission),
  };
}
