import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { authenticate } from '../auth/jwt';
import { MAX_INT4 } from '../db/int-range';
import type { Viewer } from '../auth/viewer';
import { IDEMPOTENT_REPLAYED_HEADER, idempotencyKeyFromHeader } from 'graphql-idempotency';
import { HeldOrderAlreadyResolved } from '../orders/held/results/held-order-already-resolved.type';
import { HeldOrderDismissed } from '../orders/held/results/held-order-dismissed.type';
import { HeldOrderNotFound } from '../orders/held/results/held-order-not-found.type';
import { HeldOrderReleased } from '../orders/held/results/held-order-released.type';
import type { LifecycleRequest } from '../orders/lifecycle/lifecycle-gate';
import { ChangeApplied } from '../orders/lifecycle/results/change-applied.type';
import { InventoryAdjusted } from '../orders/lifecycle/results/inventory-adjusted.type';
import { OrderAlreadyCancelled } from '../orders/lifecycle/results/order-already-cancelled.type';
import { OrderCancelled } from '../orders/lifecycle/results/order-cancelled.type';
import { OrderNotFound } from '../orders/lifecycle/results/order-not-found.type';
import { OrderNotOpen } from '../orders/lifecycle/results/order-not-open.type';
import { OrderRefunded } from '../orders/lifecycle/results/order-refunded.type';
import { ProductNotFound } from '../orders/lifecycle/results/product-not-found.type';
import { RefundExceedsPaid } from '../orders/lifecycle/results/refund-exceeds-paid.type';
import { ShippingAddressChanged } from '../orders/lifecycle/results/shipping-address-changed.type';
import { StockWouldGoNegative } from '../orders/lifecycle/results/stock-would-go-negative.type';
import type { Order } from '../orders/order.type';
import { REFUND_AMOUNT_RULE, REFUNDED_QUANTITY_RULE } from '../orders/lifecycle/refund-order.idempotency';
import { DELTA_RULE } from '../orders/lifecycle/adjust-inventory.idempotency';
import { REASON_RULE } from '../orders/lifecycle/lifecycle-policy';
import { SHIPPING_ADDRESS_RULE } from '../orders/shipping-address-rule';
import type { PerRequest } from '../request/request-context';
import { orderView, problemOf, sendProblem, sendUnauthenticated } from './channel-answers';
import { hasJsonBody, refuseBodyNotJson } from './json-body';
import type { ProblemKind } from './channel-answers';
import type { ChannelDependencies } from './channel-adapter';
import { idempotencyKeyHeaderOf } from './idempotency-key-header';
import { jsonNumber } from './json-number';
import { checkShape } from './order-content.schema';

// Only the JSON types are checked here: the rules (a reason's length and characters, amounts, quantities
// and deltas within PostgreSQL's integer) are the lifecycle policies', which GraphQL's calls meet too, so
// one input gets one answer, with one message, through either door.
const reason = z.string().describe(REASON_RULE);
// The range is the document's (meta: what a partner validating requests reads), the check the policy's.
// A fraction, or a number past the safe-integer range every zod int has (2^53, 1e308, and 1e400,
// which JSON.parse reads as Infinity: jsonNumber), is refused here with the policy's own rule
// (`error`), so it reads as 2^31 does, not as zod's "Too big" nor "must be a number".
const documentedInteger = (description: string, minimum: number, rule: string) =>
  jsonNumber(z.number().int({ error: rule }).meta({ description, minimum, maximum: MAX_INT4 }));
const address = z.strictObject({
  name: z.string().nullish(),
  line1: z.string(),
  line2: z.string().nullish(),
  city: z.string(),
  region: z.string().nullish(),
  postalCode: z.string(),
  country: z.string(),
});

/** The bodies of the lifecycle routes (unknown fields are refused); the OpenAPI document is generated from them. */
export const LIFECYCLE_BODIES = {
  cancel: z.strictObject({ reason }),
  refund: z.strictObject({
    // null stands for the form not chosen, as GraphQL's nullable arguments take it.
    amountCents: documentedInteger('Cents to refund; give this or `lines`.', 1, REFUND_AMOUNT_RULE).nullish(),
    lines: z
      .array(
        z.strictObject({
          sku: z.string(),
          quantity: documentedInteger('Units, at most the units of that line.', 1, REFUNDED_QUANTITY_RULE),
        }),
      )
      .nullish(),
  }),
  address: z.strictObject({ address: address.describe(SHIPPING_ADDRESS_RULE) }),
  adjustment: z.strictObject({
    delta: documentedInteger('Units to add (negative: to remove), other than 0.', -MAX_INT4, DELTA_RULE),
    reason,
  }),
  release: z.strictObject({}),
  dismiss: z.strictObject({ reason }),
};

/** HTTP status of each answer without a change (the keyed ones as createOrder's; see partner-api.adapter.ts). */
const STATUS: Record<ProblemKind, number> = {
  in_progress: 409,
  reused: 422,
  invalid_key: 400,
  invalid: 400,
  out_of_stock: 409,
  held: 409,
};

/** One route's call: its checked body, its path parameters and its key, for the request's caller. */
type Route = (
  call: { body: never; params: Record<string, string>; idempotencyKey: string },
  request: LifecycleRequest,
) => Promise<object>;

/**
 * The partner REST API's lifecycle routes, each keyed by `Idempotency-Key` like `POST /api/v1/orders`
 * and run through the same LifecycleGate as the GraphQL mutations: cancel and address change for the
 * order's customer (an admin: any order), refunds, stock adjustments and held orders for admins.
 */
export function mountLifecycleRoutes(router: Router, json: RequestHandler, dependencies: ChannelDependencies): void {
  const { lifecycle } = dependencies;
  const route = (path: string, schema: z.ZodType, adminOnly: boolean, run: Route) =>
    router.post(path, json, (request: Request, response: Response) =>
      answer(request, response, dependencies, schema, adminOnly, run),
    );
  route('/api/v1/orders/:orderId/cancel', LIFECYCLE_BODIES.cancel, false, (call: Call<'cancel'>, context) =>
    lifecycle.cancel({ orderId: call.params['orderId'], idempotencyKey: call.idempotencyKey, ...call.body }, context),
  );
  route('/api/v1/orders/:orderId/refunds', LIFECYCLE_BODIES.refund, true, (call: Call<'refund'>, context) =>
    lifecycle.refund({ orderId: call.params['orderId'], idempotencyKey: call.idempotencyKey, ...call.body }, context),
  );
  route('/api/v1/orders/:orderId/shipping-address', LIFECYCLE_BODIES.address, false, (call: Call<'address'>, context) =>
    lifecycle.changeAddress(
      { orderId: call.params['orderId'], idempotencyKey: call.idempotencyKey, ...call.body },
      context,
    ),
  );
  route('/api/v1/inventory/:sku/adjustments', LIFECYCLE_BODIES.adjustment, true, (call: Call<'adjustment'>, context) =>
    lifecycle.adjust({ sku: call.params['sku'], idempotencyKey: call.idempotencyKey, ...call.body }, context),
  );
  route('/api/v1/held-orders/:heldOrderId/release', LIFECYCLE_BODIES.release, true, (call, context) =>
    lifecycle.release({ heldOrderId: call.params['heldOrderId'], idempotencyKey: call.idempotencyKey }, context),
  );
  route('/api/v1/held-orders/:heldOrderId/dismiss', LIFECYCLE_BODIES.dismiss, true, (call: Call<'dismiss'>, context) =>
    lifecycle.dismiss(
      { heldOrderId: call.params['heldOrderId'], idempotencyKey: call.idempotencyKey, ...call.body },
      context,
    ),
  );
}

type Call<K extends keyof typeof LIFECYCLE_BODIES> = {
  body: z.infer<(typeof LIFECYCLE_BODIES)[K]>;
  params: Record<string, string>;
  idempotencyKey: string;
};

/** The request of one lifecycle call: its caller is the bearer token's. */
class RestLifecycleRequest implements LifecycleRequest {
  private readonly instances = new Map<PerRequest<unknown>, unknown>();

  constructor(
    readonly requestId: string,
    readonly logger: LifecycleRequest['logger'],
    readonly viewer: Viewer,
  ) {}

  requireViewer(): Viewer {
    return this.viewer;
  }

  perRequest<T>(create: PerRequest<T>): T {
    if (!this.instances.has(create)) this.instances.set(create, create());
    return this.instances.get(create) as T;
  }
}

async function answer(
  request: Request,
  response: Response,
  { jwtSecret, logger, orders }: ChannelDependencies,
  schema: z.ZodType,
  adminOnly: boolean,
  run: Route,
): Promise<void> {
  const authentication = await authenticate(request.header('authorization'), jwtSecret);
  const { viewer } = authentication;
  if (!viewer) return sendUnauthenticated(response, authentication.refusal);
  if (adminOnly && viewer.role !== 'admin')
    return sendProblem(response, 403, { code: 'FORBIDDEN', detail: 'This operation needs an admin token.' });
  const keyHeader = idempotencyKeyHeaderOf(request);
  if ('problem' in keyHeader) return sendProblem(response, 400, keyHeader.problem);
  if (!hasJsonBody(request)) return refuseBodyNotJson(request, response);
  const checked = checkShape(schema, request.body);
  if ('problem' in checked)
    return sendProblem(response, 400, {
      code: 'VALIDATION_FAILED',
      detail: checked.problem.message,
      extra: { field: checked.problem.field },
    });
  const requestId = response.locals['requestId'] as string;
  const context = new RestLifecycleRequest(requestId, logger.child({ requestId }), viewer);
  const call = {
    body: checked.value as never,
    params: request.params as Record<string, string>,
    idempotencyKey: idempotencyKeyFromHeader(keyHeader.header),
  };
  const result = await run(call, context);
  if (result instanceof ChangeApplied) {
    if (result.detectedBy) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    const created =
      !result.detectedBy &&
      (result instanceof OrderRefunded || result instanceof InventoryAdjusted || result instanceof HeldOrderReleased);
    response.status(created ? 201 : 200).json(await appliedView(result, orders));
    return;
  }
  const refusal = refusalOf(result, viewer.role === 'admin');
  if (refusal) return sendProblem(response, refusal.status, refusal);
  const problem = problemOf(result);
  if (!problem) throw new Error('A lifecycle answer that is neither a change nor a problem.');
  sendProblem(response, STATUS[problem.kind], problem);
}

/** The JSON of an applied change (the OpenAPI document's LifecycleAnswer). */
async function appliedView(result: ChangeApplied, orders: ChannelDependencies['orders']) {
  const view = async (order: Order) => orderView(order, order.items ?? (await orders.itemsOfOrders([order.id])));
  if (result instanceof OrderCancelled)
    return { order: await view(result.order), reason: result.reason, cancelledAt: result.cancelledAt.toISOString() };
  if (result instanceof OrderRefunded) {
    const { id, orderId, amountCents, createdAt } = result.refund;
    return {
      // The OpenAPI document's refund is a closed object (additionalProperties: false): its lines stay GraphQL's.
      refund: { id, orderId, amountCents, createdAt: new Date(createdAt).toISOString() },
      refundedCents: result.refundedCents,
      order: await view(result.order),
    };
  }
  if (result instanceof ShippingAddressChanged) return { order: await view(result.order) };
  if (result instanceof HeldOrderReleased) return { heldOrder: result.heldOrder, order: await view(result.order) };
  if (result instanceof HeldOrderDismissed) return { heldOrder: result.heldOrder, reason: result.reason };
  const adjusted = result as InventoryAdjusted;
  return { sku: adjusted.product.sku, delta: adjusted.delta, stockAfter: adjusted.stockAfter };
}

/** The lifecycle mutations' own refusals, as problems naming what they refer to. */
function refusalOf(
  result: object,
  byAdmin: boolean,
): { status: number; code: string; detail: string; extra: Record<string, unknown> } | null {
  if (result instanceof OrderNotFound)
    return {
      status: 404,
      code: 'ORDER_NOT_FOUND',
      // An admin may change any customer's order, so for an admin the order does not exist at all.
      detail: byAdmin ? 'No such order.' : 'No such order of yours.',
      extra: { orderId: result.orderId },
    };
  if (result instanceof OrderAlreadyCancelled)
    return {
      status: 409,
      code: 'ORDER_ALREADY_CANCELLED',
      detail: result.message,
      extra: { orderId: result.order.id },
    };
  if (result instanceof OrderNotOpen)
    return { status: 409, code: 'ORDER_NOT_OPEN', detail: result.message, extra: { orderId: result.order.id } };
  if (result instanceof RefundExceedsPaid) {
    const { paidCents, refundedCents, requestedCents } = result;
    const extra = { orderId: result.order.id, paidCents, refundedCents, requestedCents };
    return { status: 409, code: 'REFUND_EXCEEDS_PAID', detail: 'The refunds would exceed what was paid.', extra };
  }
  if (result instanceof StockWouldGoNegative) {
    const extra = { sku: result.sku, stock: result.stock, delta: result.delta };
    return { status: 409, code: 'STOCK_WOULD_GO_NEGATIVE', detail: 'The stock cannot go below zero.', extra };
  }
  if (result instanceof ProductNotFound)
    return { status: 404, code: 'PRODUCT_NOT_FOUND', detail: 'No product has this SKU.', extra: { sku: result.sku } };
  if (result instanceof HeldOrderNotFound) {
    const extra = { heldOrderId: result.heldOrderId };
    return { status: 404, code: 'HELD_ORDER_NOT_FOUND', detail: 'No held order has this id.', extra };
  }
  if (result instanceof HeldOrderAlreadyResolved) {
    const { id, status, orderId } = result.heldOrder;
    const extra = { heldOrderId: id, heldOrderStatus: status, orderId };
    return { status: 409, code: 'HELD_ORDER_ALREADY_RESOLVED', detail: result.message, extra };
  }
  return null;
}
