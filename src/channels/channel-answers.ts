import type { Response } from 'express';
import { unauthenticatedMessage } from '../auth/jwt';
import type { AuthenticationRefusal } from '../auth/jwt';
import type { Order, OrderItem } from '../orders/order.type';
import type { UnsupportedBody } from '../request/unsupported-body';
import { IdempotencyKeyReused } from '../orders/results/idempotency-key-reused.type';
import { InsufficientStock } from '../orders/results/insufficient-stock.type';
import { InvalidIdempotencyKey } from '../orders/results/invalid-idempotency-key.type';
import { InvalidOrderToken } from '../orders/results/invalid-order-token.type';
import { PossibleDuplicate } from '../orders/results/possible-duplicate.type';
import { RequestInProgress } from '../orders/results/request-in-progress.type';
import { ValidationFailed } from '../orders/results/validation-failed.type';

/** Kinds of answers that carry no order; each adapter gives each its HTTP status. */
export type ProblemKind = 'held' | 'in_progress' | 'reused' | 'invalid_key' | 'invalid' | 'out_of_stock';

/** An answer without an order: a stable code, a sentence, and the details a client acts on. */
export interface Problem {
  kind: ProblemKind;
  code: string;
  detail: string;
  extra?: Record<string, unknown>;
  /** For `in_progress` (and a database failure): when to ask again (ms); sent as Retry-After in whole seconds. */
  retryAfterMs?: number;
}

/** An order as the channels' JSON answers show it (the REST API's `Order` schema). */
export interface OrderView {
  id: string;
  customerId: string;
  status: string;
  channel: string;
  currency: string;
  totalCents: number;
  createdAt: string;
  items: { sku: string; quantity: number; unitPriceCents: number }[];
  shippingAddress: unknown;
  possibleDuplicateOfId: string | null;
}

export function orderView(order: Order, items: readonly OrderItem[]): OrderView {
  return {
    id: order.id,
    customerId: order.customerId,
    status: order.status,
    channel: order.channel,
    currency: order.currency,
    totalCents: order.totalCents,
    createdAt: new Date(order.createdAt).toISOString(),
    items: items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
    shippingAddress: order.shippingAddress ?? null,
    possibleDuplicateOfId: order.possibleDuplicateOfId ?? null,
  };
}

/**
 * The problem a result stands for; null for the two that carry the order (created, duplicate) and
 * for answers it does not know (the lifecycle mutations' own, which share the keyed ones here).
 */
export function problemOf(result: object): Problem | null {
  if (result instanceof PossibleDuplicate) {
    const extra = {
      candidateOrderId: result.candidate.id,
      similarity: result.similarity,
      reasons: result.reasons,
      heldOrderId: result.heldOrderId,
    };
    return {
      kind: 'held',
      code: 'POSSIBLE_DUPLICATE',
      detail:
        'An equivalent order of this customer was placed moments ago; nothing was created. It is held (heldOrderId) for an admin to release or dismiss.',
      extra,
    };
  }
  if (result instanceof RequestInProgress) {
    const detail = 'A request with this key is still being processed: ask again after Retry-After.';
    return { kind: 'in_progress', code: 'REQUEST_IN_PROGRESS', detail, retryAfterMs: result.retryAfterMs };
  }
  if (result instanceof IdempotencyKeyReused) {
    const held = result.heldOrderId !== undefined;
    return {
      kind: 'reused',
      code: 'IDEMPOTENCY_KEY_REUSED',
      // What a new key is for, in the operation's words: a new order, cancellation, refund, …
      detail: held
        ? `${result.idempotencyKey} already stands for held order ${result.heldOrderId}, with other content. ${result.advice}`
        : `${result.idempotencyKey} already stands for a request with other content. ${result.advice}`,
      ...(held && { extra: { heldOrderId: result.heldOrderId } }),
    };
  }
  if (result instanceof InvalidIdempotencyKey)
    return { kind: 'invalid_key', code: 'BAD_IDEMPOTENCY_KEY', detail: result.message };
  if (result instanceof ValidationFailed)
    return { kind: 'invalid', code: 'VALIDATION_FAILED', detail: result.message, extra: { field: result.field } };
  if (result instanceof InvalidOrderToken)
    return { kind: 'invalid', code: 'INVALID_ORDER_TOKEN', detail: result.message };
  if (result instanceof InsufficientStock) {
    const extra = { sku: result.sku, requested: result.requested, available: result.available };
    return { kind: 'out_of_stock', code: 'INSUFFICIENT_STOCK', detail: `Not enough stock of ${result.sku}.`, extra };
  }
  return null;
}

/**
 * Answers with an RFC 9457 problem document: `type` about:blank (the status says what kind of
 * problem), a stable `code`, a `detail` sentence, the request id to quote, and any details.
 */
export function sendProblem(response: Response, status: number, problem: Omit<Problem, 'kind'>): void {
  if (problem.retryAfterMs !== undefined)
    response.setHeader('retry-after', String(Math.ceil(problem.retryAfterMs / 1000)));
  response
    .status(status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'about:blank',
        title: STATUS_TITLES[status] ?? 'Error',
        status,
        code: problem.code,
        detail: problem.detail,
        requestId: response.locals['requestId'] as string,
        ...problem.extra,
      }),
    );
}

/** The code of a 415 problem: a body in a charset, Content-Encoding or media type that the server does not read. */
const UNSUPPORTED_BODY_CODES: Record<UnsupportedBody['named'], string> = {
  charset: 'UNSUPPORTED_CHARSET',
  encoding: 'UNSUPPORTED_CONTENT_ENCODING',
  mediaType: 'UNSUPPORTED_MEDIA_TYPE',
};

/** The 415 of a body the server does not read, naming what it does not read (`charset`, `encoding`, `mediaType`). */
export function sendUnsupportedBody(response: Response, unsupported: UnsupportedBody): void {
  const { named, name } = unsupported;
  sendProblem(response, 415, {
    code: UNSUPPORTED_BODY_CODES[named],
    detail: unsupported.message,
    extra: name === undefined ? undefined : { [named]: name },
  });
}

/** The 401 of a request without an acceptable bearer token: RFC 6750's challenge, GraphQL's message. */
export function sendUnauthenticated(response: Response, refusal: AuthenticationRefusal): void {
  response.setHeader('www-authenticate', 'Bearer');
  sendProblem(response, 401, { code: 'UNAUTHENTICATED', detail: unauthenticatedMessage(refusal) });
}

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
