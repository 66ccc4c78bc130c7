import { z } from 'zod';
import { IDEMPOTENCY_KEY_PATTERN } from 'graphql-idempotency';
import { strictOrderContentShape } from './order-content.schema';
import { lifecyclePaths, lifecycleSchemas } from './partner-api-lifecycle.openapi';

const PROBLEM = { $ref: '#/components/schemas/Problem' } as const;
const ORDER = { $ref: '#/components/schemas/Order' } as const;
const RETRY_AFTER = {
  description: 'Whole seconds to wait before asking again.',
  schema: { type: 'integer', minimum: 0 },
} as const;

/** The 415 of every route: a body the server does not read, named in the problem. */
const UNSUPPORTED_BODY =
  'UNSUPPORTED_MEDIA_TYPE (`mediaType`, absent when the body came without a content type): a body that is not application/json. ' +
  'UNSUPPORTED_CHARSET (`charset`): the content type names a charset other than UTF-8 (JSON is UTF-8; utf8, csUTF8 and the names of US-ASCII, its subset, are read as UTF-8). ' +
  'UNSUPPORTED_CONTENT_ENCODING (`encoding`): a Content-Encoding other than gzip, deflate or br.';

function problem(description: string, headers?: Record<string, unknown>) {
  return { description, ...(headers ? { headers } : {}), content: { 'application/problem+json': { schema: PROBLEM } } };
}

/** `^(?:key|"key")$`: both quotes or none (`^"?key"?$` admitted `"key`, which the server refuses). */
function bareOrQuoted(pattern: RegExp): string {
  const key = pattern.source.replace(/^\^/, '').replace(/\$$/, '');
  return `^(?:${key}|"${key}")$`;
}

/** The `Idempotency-Key` header every POST of the API requires. */
const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  description:
    'One per intent, reused on every retry of it. Bare or as a structured-field string ("…"). To create an order ' +
    '(POST /api/v1/orders), keys beginning with `marketplace:`, `marketplace.`, `pos:` or `pos.` are reserved for ' +
    "marketplace and POS orders (400 BAD_IDEMPOTENCY_KEY); an order change's keys are scoped to the caller and the " +
    'operation, and take any form.',
  schema: { type: 'string', pattern: bareOrQuoted(IDEMPOTENCY_KEY_PATTERN) },
} as const;

/**
 * The OpenAPI 3.1 document of the partner REST API, served at `/api/v1/openapi.json`. The request
 * body's schema is generated from the zod shape the server checks bodies with; a test checks the
 * document against the OpenAPI 3.1 schema and every answer of the API against the document.
 */
export function partnerApiDocument(): Record<string, unknown> {
  const { $schema: _dialect, ...orderRequest } = z.toJSONSchema(z.strictObject(strictOrderContentShape), {
    target: 'draft-2020-12',
    io: 'input',
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Order Gate partner API',
      version: '1.0.0',
      description:
        'Create orders exactly once. Every request carries an Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header), ' +
        'scoped to the customer of the bearer token: a retry with the same key and body gets the order it created back, as it is now (200, Idempotent-Replayed: true). ' +
        'A completed key answers from the cache for IDEMPOTENCY_RETENTION_MS (24 hours by default) and from the database for as long as its order exists, ' +
        'so a retry is recognised whenever it comes; a request that created nothing is not remembered (a corrected retry with the same key runs).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths: {
      ...lifecyclePaths({
        keyParameter: IDEMPOTENCY_KEY_PARAMETER,
        problem,
        order: ORDER,
        retryAfter: RETRY_AFTER,
        unsupportedBody: UNSUPPORTED_BODY,
      }),
      '/api/v1/orders': {
        post: {
          operationId: 'createOrder',
          summary: 'Create an order, once per Idempotency-Key',
          parameters: [IDEMPOTENCY_KEY_PARAMETER],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/OrderRequest' } } },
          },
          responses: {
            '201': { description: 'Created by this request.', content: { 'application/json': { schema: ORDER } } },
            '200': {
              description:
                'A repeat of a completed request: the order it created, as it is now (a cancelled order says CANCELLED), not a copy of the 201 body.',
              headers: {
                'Idempotent-Replayed': { description: 'Always `true` on a replay.', schema: { const: 'true' } },
              },
              content: { 'application/json': { schema: ORDER } },
            },
            '400': problem(
              'BAD_IDEMPOTENCY_KEY, MISSING_IDEMPOTENCY_KEY, REPEATED_IDEMPOTENCY_KEY (the header sent more than once), VALIDATION_FAILED (with `field`), BAD_REQUEST (no body, or an empty one: Content-Length: 0, a chunked body of zero bytes, only whitespace; or JSON that cannot be read).',
            ),
            '401': problem('UNAUTHENTICATED: no or bad bearer token.'),
            '409': problem(
              'REQUEST_IN_PROGRESS (with Retry-After): a request with this key is still running. ' +
                'INSUFFICIENT_STOCK (`sku`, `requested`, `available`). POSSIBLE_DUPLICATE (`candidateOrderId`, `similarity`, `reasons`, `heldOrderId`): ' +
                'an equivalent order was placed moments ago and nothing was created; to place it anyway, send it with a new key and confirmPossibleDuplicate, or an admin releases the held order.',
              { 'Retry-After': RETRY_AFTER },
            ),
            '413': problem('PAYLOAD_TOO_LARGE.'),
            '415': problem(UNSUPPORTED_BODY),
            '422': problem(
              'IDEMPOTENCY_KEY_REUSED: the key was used before with another body; `heldOrderId` when it stands for a held order.',
            ),
            '429': problem(
              'RATE_LIMITED: too many new orders for this customer; retry with the same key after Retry-After.',
              { 'Retry-After': RETRY_AFTER },
            ),
            '500': problem('INTERNAL_SERVER_ERROR: quote `requestId`; retrying with the same key is safe.'),
            '503': problem(
              'SERVICE_UNAVAILABLE: the database failed the order (stuck, read-only, full, unreachable: docs/http.md ' +
                '"Database failures"); nothing was acknowledged. Retry with the same key after Retry-After.',
              { 'Retry-After': RETRY_AFTER },
            ),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'HS256; `sub` is the customer.' },
      },
      schemas: {
        ...lifecycleSchemas(),
        OrderRequest: orderRequest,
        Order: {
          type: 'object',
          required: [
            'id',
            'customerId',
            'status',
            'channel',
            'currency',
            'totalCents',
            'createdAt',
            'items',
            'shippingAddress',
            'possibleDuplicateOfId',
          ],
          additionalProperties: false,
          properties: {
            id: { type: 'string', format: 'uuid' },
            customerId: { type: 'string' },
            status: { enum: ['PENDING', 'CONFIRMED', 'CANCELLED'] },
            channel: { enum: ['WEB', 'MOBILE', 'MARKETPLACE', 'POS', 'API'] },
            currency: { type: 'string', pattern: '^[A-Z]{3}$' },
            totalCents: { type: 'integer', minimum: 0 },
            createdAt: { type: 'string', format: 'date-time' },
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['sku', 'quantity', 'unitPriceCents'],
                additionalProperties: false,
                properties: {
                  sku: { type: 'string' },
                  quantity: { type: 'integer', minimum: 1 },
                  unitPriceCents: { type: 'integer', minimum: 0 },
                },
              },
            },
            shippingAddress: { oneOf: [{ type: 'null' }, orderRequest.properties?.['shippingAddress'] ?? {}] },
            possibleDuplicateOfId: {
              type: ['string', 'null'],
              description: 'Created although this equivalent recent order existed (confirmed).',
            },
          },
        },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details; `code` is stable, `detail` is for people.',
          required: ['type', 'title', 'status', 'code', 'detail', 'requestId'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            code: { type: 'string' },
            detail: { type: 'string' },
            requestId: { type: 'string' },
            field: {
              type: 'string',
              description:
                'The input at fault (VALIDATION_FAILED): properties joined by dots, list positions in brackets, ' +
                'as GraphQL names them: `lines[0].quantity`, `shippingAddress.line2`, `(body)` for the whole body.',
            },
            sku: { type: 'string' },
            requested: { type: 'integer' },
            available: { type: 'integer' },
            candidateOrderId: { type: 'string', format: 'uuid' },
            similarity: { type: 'number' },
            reasons: { type: 'array', items: { type: 'string' } },
            heldOrderId: { type: 'string', format: 'uuid' },
            heldOrderStatus: { enum: ['HELD', 'RELEASED', 'DISMISSED', 'PLACED'] },
            orderId: { type: ['string', 'null'] },
            mediaType: {
              type: 'string',
              description: 'The media type not read (UNSUPPORTED_MEDIA_TYPE), lower-cased, without its parameters.',
            },
            charset: {
              type: 'string',
              description: 'The charset not read (UNSUPPORTED_CHARSET), as the request named it.',
            },
            encoding: {
              type: 'string',
              description: 'The Content-Encoding not read (UNSUPPORTED_CONTENT_ENCODING), as the request named it.',
            },
          },
        },
      },
    },
  };
}
