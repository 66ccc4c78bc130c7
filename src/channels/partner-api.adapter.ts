import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { authenticate } from '../auth/jwt';
import { IDEMPOTENT_REPLAYED_HEADER, idempotencyKeyFromHeader } from 'graphql-idempotency';
import type { Order } from '../orders/order.type';
import { DuplicateDetected } from '../orders/results/duplicate-detected.type';
import { OrderCreated } from '../orders/results/order-created.type';
import type { CreateOrderResult } from '../orders/results/create-order-result.union';
import { SalesChannel } from '../sales-channel/sales-channel.type';
import { orderView, problemOf, sendProblem, sendUnauthenticated } from './channel-answers';
import { hasJsonBody, partnerJsonParser, refuseBodyNotJson } from './json-body';
import type { ProblemKind } from './channel-answers';
import { channelRequestOf } from './channel-adapter';
import type { ChannelAdapter, ChannelDependencies } from './channel-adapter';
import { checkShape, orderContentOf, strictOrderContentShape } from './order-content.schema';
import { idempotencyKeyHeaderOf } from './idempotency-key-header';
import { mountLifecycleRoutes } from './partner-api-lifecycle';
import { partnerApiDocument } from './partner-api.openapi';

/** The body of `POST /api/v1/orders`: the order's content, nothing else (unknown fields are refused, at any depth). */
export const partnerOrderSchema = z.strictObject(strictOrderContentShape);

/**
 * HTTP status of each answer without an order, as the IETF Idempotency-Key draft gives them where
 * it speaks (409 in progress, 422 key reused with another payload, 400 bad key); the `code` of the
 * problem document tells apart the answers that share a status.
 */
export const PARTNER_API_STATUS: Record<ProblemKind, number> = {
  in_progress: 409,
  reused: 422,
  invalid_key: 400,
  invalid: 400,
  out_of_stock: 409,
  held: 409,
};

/**
 * The partner REST API: `POST /api/v1/orders` with a bearer token (the customer is its `sub`) and
 * the `Idempotency-Key` header, scoped to the customer like createOrder's key (channel API); and
 * `GET /api/v1/openapi.json`, its OpenAPI 3.1 document.
 */
export const partnerApiAdapter: ChannelAdapter = {
  name: 'partner-api',
  mount(router, dependencies) {
    const document = JSON.stringify(partnerApiDocument());
    router.get('/api/v1/openapi.json', (_request: Request, response: Response) => {
      response.type('application/json').send(document);
    });
    const json = partnerJsonParser(dependencies.bodyLimitBytes);
    router.post('/api/v1/orders', json, (request: Request, response: Response) =>
      createOrder(request, response, dependencies),
    );
    mountLifecycleRoutes(router, json, dependencies);
  },
};

async function createOrder(
  request: Request,
  response: Response,
  { gate, metrics, orders, jwtSecret, logger }: ChannelDependencies,
): Promise<void> {
  metrics.receive(SalesChannel.API);
  const refuse = (status: number, code: string, detail: string, extra?: Record<string, unknown>) => {
    metrics.refuse(SalesChannel.API);
    sendProblem(response, status, { code, detail, extra });
  };
  const { viewer, refusal } = await authenticate(request.header('authorization'), jwtSecret);
  if (!viewer) {
    metrics.refuse(SalesChannel.API);
    return sendUnauthenticated(response, refusal);
  }
  const keyHeader = idempotencyKeyHeaderOf(request);
  if ('problem' in keyHeader) return refuse(400, keyHeader.problem.code, keyHeader.problem.detail);
  if (!hasJsonBody(request)) {
    metrics.refuse(SalesChannel.API);
    return refuseBodyNotJson(request, response);
  }
  const checked = checkShape(partnerOrderSchema, request.body);
  if ('problem' in checked)
    return refuse(400, 'VALIDATION_FAILED', checked.problem.message, { field: checked.problem.field });

  let result: CreateOrderResult;
  try {
    const identity = { idempotencyKey: idempotencyKeyFromHeader(keyHeader.header) };
    const order = {
      channel: SalesChannel.API,
      customerId: viewer.customerId,
      identity,
      content: orderContentOf(checked.value),
    };
    result = await gate.place(order, channelRequestOf(response, logger));
  } catch (error) {
    if (!isRateLimited(error)) throw error;
    return sendProblem(response, 429, {
      code: 'RATE_LIMITED',
      detail: error.message,
      retryAfterMs: Number(error.extensions['retryAfterMs']),
    });
  }
  if (result instanceof OrderCreated || result instanceof DuplicateDetected) {
    const order = result instanceof OrderCreated ? result.order : result.originalOrder;
    if (result instanceof DuplicateDetected) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    response.status(result instanceof OrderCreated ? 201 : 200).json(orderView(order, await itemsOf(order, orders)));
    return;
  }
  const problem = problemOf(result);
  if (!problem) throw new Error('An answer that is neither an order nor a problem.');
  sendProblem(response, PARTNER_API_STATUS[problem.kind], problem);
}

/** The order's items: at hand, except for a repeat the placement found by its unique index. */
async function itemsOf(order: Order, orders: ChannelDependencies['orders']) {
  return order.items ?? (await orders.itemsOfOrders([order.id]));
}

/** The rate limit of new orders (OrderAdmission) refuses with a GraphQL error carrying its hint. */
function isRateLimited(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && error.extensions['code'] === 'RATE_LIMITED';
}
