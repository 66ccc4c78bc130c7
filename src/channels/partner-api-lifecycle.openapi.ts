import { z } from 'zod';
import { LIFECYCLE_BODIES } from './partner-api-lifecycle';

/** The pieces of the API's document the lifecycle paths share with `POST /api/v1/orders`. */
export interface DocumentParts {
  keyParameter: object;
  problem(description: string, headers?: Record<string, unknown>): object;
  order: object;
  retryAfter: object;
  /** What the 415 says (a media type, charset or Content-Encoding not read). */
  unsupportedBody: string;
}

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function bodySchema(schema: z.ZodType): object {
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  return body;
}

/**
 * The lifecycle paths (src/channels/partner-api-lifecycle.ts), each keyed by Idempotency-Key. Each
 * answers what its route does (the router's 413 and 503 included); none is rate-limited (no 429:
 * ORDER_RATE_LIMIT counts new orders of createOrder only).
 */
export function lifecyclePaths(parts: DocumentParts): Record<string, unknown> {
  const path = (
    operationId: string,
    summary: string,
    body: string,
    answer: string,
    created: boolean,
    refusals: Record<string, string>,
    pathParameter: { name: string; format?: string },
  ) => ({
    post: {
      operationId,
      summary,
      parameters: [
        parts.keyParameter,
        {
          name: pathParameter.name,
          in: 'path',
          required: true,
          schema: { type: 'string', ...(pathParameter.format ? { format: pathParameter.format } : {}) },
        },
      ],
      requestBody: { required: true, content: { 'application/json': { schema: schemaRef(body) } } },
      responses: {
        ...(created
          ? {
              '201': {
                description: 'Made by this request.',
                content: { 'application/json': { schema: schemaRef(answer) } },
              },
            }
          : {}),
        '200': {
          description: created
            ? 'A repeat of a completed request: its first answer.'
            : 'Changed by this request, or (with Idempotent-Replayed) a repeat of it: its first answer.',
          headers: { 'Idempotent-Replayed': { description: '`true` on a replay.', schema: { const: 'true' } } },
          content: { 'application/json': { schema: schemaRef(answer) } },
        },
        '400': parts.problem(
          'BAD_IDEMPOTENCY_KEY, MISSING_IDEMPOTENCY_KEY, REPEATED_IDEMPOTENCY_KEY (the header sent more than once), VALIDATION_FAILED (with `field`), BAD_REQUEST (no body, or an empty one: Content-Length: 0, a chunked body of zero bytes, only whitespace; send `{}`; or JSON that cannot be read).',
        ),
        '401': parts.problem('UNAUTHENTICATED: no or bad bearer token.'),
        ...Object.fromEntries(Object.entries(refusals).map(([status, text]) => [status, parts.problem(text)])),
        '409': parts.problem(
          `REQUEST_IN_PROGRESS (with Retry-After): a request with this key is still running. ${refusals['409'] ?? ''}`.trim(),
          { 'Retry-After': parts.retryAfter },
        ),
        '413': parts.problem('PAYLOAD_TOO_LARGE: the body is over HTTP_BODY_LIMIT_BYTES (1 MiB by default).'),
        '415': parts.problem(parts.unsupportedBody),
        '422': parts.problem('IDEMPOTENCY_KEY_REUSED: the key was used before with another body.'),
        '500': parts.problem('INTERNAL_SERVER_ERROR: quote `requestId`; retrying with the same key is safe.'),
        '503': parts.problem(
          'SERVICE_UNAVAILABLE: the database failed the change (a row locked past the transaction budget, read-only, ' +
            'full, unreachable: docs/http.md "Database failures"); nothing was acknowledged. Retry with the same key ' +
            'after Retry-After: a change whose commit went through is then answered as its repeat.',
          { 'Retry-After': parts.retryAfter },
        ),
      },
    },
  });
  const order = { name: 'orderId', format: 'uuid' };
  const heldOrder = { name: 'heldOrderId', format: 'uuid' };
  return {
    '/api/v1/orders/{orderId}/cancel': path(
      'cancelOrder',
      "Cancel the caller's order (an admin's: any), returning its stock once; a repeat answers 200 with Idempotent-Replayed",
      'CancelRequest',
      'OrderCancelled',
      false,
      {
        '404': 'ORDER_NOT_FOUND (`orderId`): no such order of the caller.',
        '409': 'ORDER_ALREADY_CANCELLED (`orderId`): cancelled before, by another key or a merge; nothing changed.',
      },
      order,
    ),
    '/api/v1/orders/{orderId}/refunds': path(
      'refundOrder',
      'Admin only: refund part of an order (amountCents or lines); the refunds never exceed what was paid',
      'RefundRequest',
      'OrderRefunded',
      true,
      {
        '403': 'FORBIDDEN: needs an admin token.',
        '404': 'ORDER_NOT_FOUND (`orderId`).',
        '409': 'REFUND_EXCEEDS_PAID (`paidCents`, `refundedCents`, `requestedCents`): nothing changed.',
      },
      order,
    ),
    '/api/v1/orders/{orderId}/shipping-address': path(
      'changeShippingAddress',
      "Change the shipping address of the caller's open order (an admin's: any)",
      'AddressChangeRequest',
      'ShippingAddressChanged',
      false,
      {
        '404': 'ORDER_NOT_FOUND (`orderId`).',
        '409': 'ORDER_NOT_OPEN (`orderId`): the order is cancelled; nothing changed.',
      },
      order,
    ),
    '/api/v1/inventory/{sku}/adjustments': path(
      'adjustInventory',
      "Admin only: move a product's stock by a delta, once per key; never below zero",
      'AdjustmentRequest',
      'InventoryAdjusted',
      true,
      {
        '403': 'FORBIDDEN: needs an admin token.',
        '404': 'PRODUCT_NOT_FOUND (`sku`).',
        '409': 'STOCK_WOULD_GO_NEGATIVE (`sku`, `stock`, `delta`): nothing changed.',
      },
      { name: 'sku' },
    ),
    '/api/v1/held-orders/{heldOrderId}/release': path(
      'releaseHeldOrder',
      'Admin only: place a held possible duplicate, once, under its own key (the stock rules apply); a repeat answers 200 with Idempotent-Replayed',
      'ReleaseRequest',
      'HeldOrderReleased',
      true,
      {
        '403': 'FORBIDDEN: needs an admin token.',
        '404': 'HELD_ORDER_NOT_FOUND (`heldOrderId`).',
        '409':
          'HELD_ORDER_ALREADY_RESOLVED (`heldOrderId`, `heldOrderStatus`, `orderId`): released, dismissed or placed before; INSUFFICIENT_STOCK (`sku`, `requested`, `available`): nothing changed, the order stays held.',
      },
      heldOrder,
    ),
    '/api/v1/held-orders/{heldOrderId}/dismiss': path(
      'dismissHeldOrder',
      'Admin only: drop a held possible duplicate; no order comes of it',
      'DismissRequest',
      'HeldOrderDismissed',
      false,
      {
        '403': 'FORBIDDEN: needs an admin token.',
        '404': 'HELD_ORDER_NOT_FOUND (`heldOrderId`).',
        '409': 'HELD_ORDER_ALREADY_RESOLVED (`heldOrderId`, `heldOrderStatus`, `orderId`): nothing changed.',
      },
      heldOrder,
    ),
  };
}

/** The bodies (generated from the zod shapes the server checks) and answers of the lifecycle paths. */
export function lifecycleSchemas(): Record<string, unknown> {
  const order = schemaRef('Order');
  const object = (properties: Record<string, unknown>) => ({
    type: 'object',
    required: Object.keys(properties),
    additionalProperties: false,
    properties,
  });
  return {
    CancelRequest: bodySchema(LIFECYCLE_BODIES.cancel),
    RefundRequest: bodySchema(LIFECYCLE_BODIES.refund),
    AddressChangeRequest: bodySchema(LIFECYCLE_BODIES.address),
    AdjustmentRequest: bodySchema(LIFECYCLE_BODIES.adjustment),
    OrderCancelled: object({ order, reason: { type: 'string' }, cancelledAt: { type: 'string', format: 'date-time' } }),
    OrderRefunded: object({
      refund: object({
        id: { type: 'string', format: 'uuid' },
        orderId: { type: 'string', format: 'uuid' },
        amountCents: { type: 'integer', minimum: 1 },
        createdAt: { type: 'string', format: 'date-time' },
      }),
      refundedCents: { type: 'integer', minimum: 1, description: 'Everything refunded on the order so far.' },
      order,
    }),
    ShippingAddressChanged: object({ order }),
    InventoryAdjusted: object({
      sku: { type: 'string' },
      delta: { type: 'integer' },
      stockAfter: { type: 'integer', minimum: 0 },
    }),
    ReleaseRequest: bodySchema(LIFECYCLE_BODIES.release),
    DismissRequest: bodySchema(LIFECYCLE_BODIES.dismiss),
    HeldOrder: heldOrderSchema(object),
    HeldOrderReleased: object({ heldOrder: schemaRef('HeldOrder'), order }),
    HeldOrderDismissed: object({ heldOrder: schemaRef('HeldOrder'), reason: { type: 'string' } }),
  };
}

/** A held order as the held-order routes show it (the GraphQL type HeldOrder, as JSON). */
function heldOrderSchema(object: (properties: Record<string, unknown>) => object): object {
  const text = { type: 'string' };
  const nullableText = { type: ['string', 'null'] };
  return object({
    id: { type: 'string', format: 'uuid' },
    customerId: text,
    idempotencyKey: text,
    channel: { enum: ['WEB', 'MOBILE', 'MARKETPLACE', 'POS', 'API'] },
    source: nullableText,
    externalId: nullableText,
    status: { enum: ['HELD', 'RELEASED', 'DISMISSED', 'PLACED'] },
    currency: text,
    lines: { type: 'array', items: object({ sku: text, quantity: { type: 'integer', minimum: 1 } }) },
    shippingAddress: { oneOf: [{ type: 'null' }, { type: 'object' }] },
    candidateOrderId: { type: 'string', format: 'uuid' },
    similarity: { type: 'number' },
    reasons: { type: 'array', items: text },
    orderId: nullableText,
    resolvedBy: nullableText,
    resolvedAt: { type: ['string', 'null'], format: 'date-time' },
    dismissReason: nullableText,
    heldAt: { type: 'string', format: 'date-time' },
  });
}
