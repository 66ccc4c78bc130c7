import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { isStorableText, UNSTORABLE_CHARACTERS } from '../db/storable-text';
import { SalesChannel } from '../sales-channel/sales-channel.type';
import { DuplicateDetected } from '../orders/results/duplicate-detected.type';
import { OrderCreated } from '../orders/results/order-created.type';
import { unsupportedCharset } from '../request/unsupported-body';
import { problemOf, sendProblem, sendUnsupportedBody } from './channel-answers';
import type { ProblemKind } from './channel-answers';
import { channelRequestOf } from './channel-adapter';
import type { ChannelAdapter, ChannelDependencies } from './channel-adapter';
import { checkShape, orderContentOf, orderContentShape } from './order-content.schema';
import { charsetOf, strictUtf8 } from './text-body';
import type { ChannelSettings } from '../config/config';
import { DEFAULT_WEBHOOK_SCHEME } from '../config/marketplace-secrets';
import {
  SIGNATURE_HEADER,
  STANDARD_WEBHOOK_HEADERS,
  TIMESTAMP_HEADER,
  verifyStandardWebhook,
  verifyWebhook,
} from './webhook-signature';
import type { SignatureVerdict } from './webhook-signature';

/** An id stored as text: 1 to 128 characters, all of them storable (isStorableText). */
// Not blank: "   " named no order and no customer, yet was taken as both (found from outside, stop 39).
const storableId = z
  .string()
  .min(1)
  .max(128)
  .refine((id) => id.trim() !== '', 'must not be blank')
  .refine(isStorableText, `must not contain ${UNSTORABLE_CHARACTERS}`);

/** The charset labels that name UTF-8 (charsetOf lower-cases them). */
const UTF8_LABEL = /^utf-?8$/;

/** A marketplace's order as its webhook sends it (fields beyond these are ignored). */
export const marketplaceOrderSchema = z.object({
  orderId: storableId.describe("The marketplace's order id: with the source, the order's identity."),
  customerId: storableId.describe('The customer as Order Gate knows them (the connector maps the buyer).'),
  ...orderContentShape,
});

/**
 * HTTP status of each answer without an order. A webhook sender redelivers on anything but 2xx:
 * 409 (a delivery of this order is still running) is worth redelivering; a 422 says the payload
 * cannot be placed now (another payload under this order id, a rule broken, not enough stock), and
 * is not remembered: a redelivery is checked afresh and is placed once the cause is gone (a
 * restock); a held order is accepted (202) for review, since redelivering it would only be held
 * again.
 */
export const MARKETPLACE_STATUS: Record<ProblemKind, number> = {
  held: 202,
  in_progress: 409,
  reused: 422,
  invalid_key: 422,
  invalid: 422,
  out_of_stock: 422,
};

/**
 * `POST /channels/marketplace/{source}/orders`: a marketplace's order webhook, signed under the
 * source's scheme (MARKETPLACE_WEBHOOK_SCHEMES) with its secrets (MARKETPLACE_WEBHOOK_SECRETS):
 * HMAC-SHA256 over `<timestamp>.<raw body>`, or Standard Webhooks, whose `webhook-id` names the
 * delivery, so that a redelivery is recognised by it. Identity (source, orderId). Created and
 * duplicate both answer 200 with the order id, so the marketplace stops redelivering; a delivery
 * that arrives while another of the same order runs waits for it and answers with the same order.
 */
export const marketplaceWebhookAdapter: ChannelAdapter = {
  name: 'marketplace-webhook',
  mount(router, dependencies) {
    // The raw bytes, whatever the content type: the signature covers exactly what was sent.
    const rawBody = express.raw({ type: () => true, limit: dependencies.bodyLimitBytes });
    // A delivery no body could make genuine is refused as soon as its headers arrive, not after
    // its megabyte has been read: its source has no secret, or its signature headers are missing.
    const signable = (request: Request, response: Response, next: NextFunction) => {
      const verdict = verdictWithoutBody(request, String(request.params['source']), dependencies.settings);
      if (!verdict) return next();
      dependencies.metrics.receive(SalesChannel.MARKETPLACE);
      refuseDelivery(response, dependencies, verdict, String(request.params['source']));
    };
    router.post('/channels/marketplace/:source/orders', signable, rawBody, (request: Request, response: Response) =>
      receive(request, response, dependencies),
    );
  },
};

async function receive(
  request: Request,
  response: Response,
  { gate, metrics, settings, logger }: ChannelDependencies,
): Promise<void> {
  metrics.receive(SalesChannel.MARKETPLACE);
  const refuse = (status: number, code: string, detail: string, extra?: Record<string, unknown>) => {
    metrics.refuse(SalesChannel.MARKETPLACE);
    sendProblem(response, status, { code, detail, extra });
  };
  const source = String(request.params['source']);
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const { verdict, delivery } = verifyDelivery(request, source, body, settings);
  if (!verdict.ok) return refuseDelivery(response, { metrics, logger, settings }, verdict, source);

  // JSON is UTF-8 (RFC 8259): decoded loosely, two orders whose ids differ in a byte that is not
  // were one order (both ids read with U+FFFD). A charset label has no effect on UTF-8 bytes (RFC
  // 8259 defines none), but where the bytes are not UTF-8 it says why: the 415 names it.
  const text = strictUtf8(body);
  if (text === null) {
    const charset = charsetOf(request.header('content-type'));
    if (!charset || UTF8_LABEL.test(charset)) return refuse(400, 'BAD_PAYLOAD', 'The body is not UTF-8.');
    metrics.refuse(SalesChannel.MARKETPLACE);
    return sendUnsupportedBody(response, unsupportedCharset(charset));
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return refuse(400, 'BAD_PAYLOAD', 'The body is not JSON.');
  }
  const checked = checkShape(marketplaceOrderSchema, payload);
  if ('problem' in checked)
    return refuse(400, 'BAD_PAYLOAD', checked.problem.message, { field: checked.problem.field });

  const order = checked.value;
  const result = await gate.placeSettled(
    {
      channel: SalesChannel.MARKETPLACE,
      customerId: order.customerId,
      identity: { external: { source, externalId: order.orderId }, delivery },
      content: orderContentOf(order),
    },
    channelRequestOf(response, logger),
  );
  if (result instanceof OrderCreated) {
    response.json({
      status: 'created',
      orderId: result.order.id,
      possibleDuplicateOfId: result.order.possibleDuplicateOfId ?? null,
    });
    return;
  }
  if (result instanceof DuplicateDetected) {
    response.json({ status: 'duplicate', orderId: result.originalOrder.id, detectedBy: result.detectedBy });
    return;
  }
  const problem = problemOf(result);
  if (!problem) throw new Error('An answer that is neither an order nor a problem.');
  if (problem.kind === 'held') {
    response.status(MARKETPLACE_STATUS.held).json({ status: 'held', ...problem.extra });
    return;
  }
  sendProblem(response, MARKETPLACE_STATUS[problem.kind], problem);
}

/**
 * The 401 of a delivery that does not verify. The sender is told no more than the code (an unknown
 * source answers as a wrong secret does, so that nobody can list the sources), but the log says
 * which it was: a source missing from MARKETPLACE_WEBHOOK_SECRETS is a set-up mistake to see at once.
 */
function refuseDelivery(
  response: Response,
  { metrics, logger, settings }: Pick<ChannelDependencies, 'metrics' | 'logger' | 'settings'>,
  verdict: Extract<SignatureVerdict, { ok: false }>,
  source: string,
): void {
  metrics.refuse(SalesChannel.MARKETPLACE);
  const configured = (settings.marketplaceSecrets.get(source) ?? []).length > 0;
  const requestId = response.locals['requestId'] as string | undefined;
  logger.warn(
    { requestId, source, code: verdict.code, sourceConfigured: configured },
    configured
      ? `marketplace delivery refused: ${verdict.detail}`
      : `marketplace delivery refused: the source "${source}" has no secret in MARKETPLACE_WEBHOOK_SECRETS`,
  );
  sendProblem(response, 401, { code: verdict.code, detail: verdict.detail });
}

/**
 * The refusal of a delivery whatever its body (its source has no secret, or a signature header is
 * missing): the verdict on an empty body is then the verdict on any. Null when the body decides.
 */
function verdictWithoutBody(
  request: Request,
  source: string,
  settings: ChannelSettings,
): Extract<SignatureVerdict, { ok: false }> | null {
  const { verdict } = verifyDelivery(request, source, Buffer.alloc(0), settings);
  if (verdict.ok) return null;
  const known = (settings.marketplaceSecrets.get(source) ?? []).length > 0;
  return !known || verdict.code === 'MISSING_SIGNATURE' ? verdict : null;
}

/**
 * The delivery checked under its source's scheme, and the delivery's id when the scheme has one.
 * An unknown source has no secret, so nothing it sends can verify: the same 401, saying no more.
 */
function verifyDelivery(
  request: Request,
  source: string,
  body: Buffer,
  settings: ChannelSettings,
): { verdict: SignatureVerdict; delivery?: string } {
  const secrets = settings.marketplaceSecrets.get(source) ?? [];
  const { signatureToleranceMs } = settings;
  if ((settings.marketplaceSchemes.get(source) ?? DEFAULT_WEBHOOK_SCHEME) === 'hmac-sha256') {
    const delivery = { timestamp: request.header(TIMESTAMP_HEADER), signature: request.header(SIGNATURE_HEADER), body };
    return { verdict: verifyWebhook(delivery, secrets, Date.now(), signatureToleranceMs) };
  }
  const delivery = {
    id: request.header(STANDARD_WEBHOOK_HEADERS.id),
    timestamp: request.header(STANDARD_WEBHOOK_HEADERS.timestamp),
    signature: request.header(STANDARD_WEBHOOK_HEADERS.signature),
    body,
  };
  return { verdict: verifyStandardWebhook(delivery, secrets, Date.now(), signatureToleranceMs), delivery: delivery.id };
}
