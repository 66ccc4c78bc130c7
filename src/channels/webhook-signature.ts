import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** Unix time in whole seconds when the sender signed the delivery. */
export const TIMESTAMP_HEADER = 'x-signature-timestamp';
/** `sha256=<hex>`: HMAC-SHA256 of `<timestamp>.<raw body>`; several, comma-separated, while the sender rotates secrets. */
export const SIGNATURE_HEADER = 'x-signature';

const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

/** What a delivery carries to prove who sent it and when. */
export interface SignedDelivery {
  timestamp: string | undefined;
  signature: string | undefined;
  /** The body exactly as received: a byte changed after signing breaks the signature. */
  body: Buffer;
}

/** Standard Webhooks' headers: the message id (the same on every redelivery), its unix time, and `v1,<base64>` signatures. */
export const STANDARD_WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** What a Standard Webhooks delivery carries: its id is signed with the body and the timestamp. */
export interface StandardWebhookDelivery extends SignedDelivery {
  id: string | undefined;
}

/** The `standardwebhooks` library's own bound on a timestamp's distance from its clock (ms). */
const STANDARD_WEBHOOKS_TOLERANCE_MS = 5 * 60 * 1000;

export type SignatureVerdict =
  { ok: true } | { ok: false; code: 'MISSING_SIGNATURE' | 'BAD_SIGNATURE' | 'STALE_TIMESTAMP'; detail: string };

/** The signature header's value for a body signed at `timestamp` (unix seconds) with `secret`. */
export function signWebhook(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${digest(secret, timestamp, typeof body === 'string' ? Buffer.from(body) : body)}`;
}

/**
 * Checks a delivery against the source's secrets: the signature must be an HMAC-SHA256 of
 * `<timestamp>.<raw body>` under one of them (compared in constant time), and the timestamp within
 * `toleranceMs` of `nowMs` either way, so that a captured delivery cannot be replayed later. The
 * signature is checked first: STALE_TIMESTAMP means a genuine delivery that is too old (or whose
 * sender's clock is off).
 */
export function verifyWebhook(
  delivery: SignedDelivery,
  secrets: readonly string[],
  nowMs: number,
  toleranceMs: number,
): SignatureVerdict {
  const { timestamp, signature, body } = delivery;
  if (!timestamp || !signature)
    return {
      ok: false,
      code: 'MISSING_SIGNATURE',
      detail: `Both ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required.`,
    };
  if (!TIMESTAMP_PATTERN.test(timestamp))
    return { ok: false, code: 'BAD_SIGNATURE', detail: `${TIMESTAMP_HEADER} must be unix time in seconds.` };
  const offered = signature
    .split(',')
    .map((part) => SIGNATURE_PATTERN.exec(part.trim())?.[1]?.toLowerCase())
    .filter((hex): hex is string => hex !== undefined)
    .map((hex) => Buffer.from(hex, 'hex'));
  const genuine = secrets.some((secret) => {
    const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
    return offered.some((candidate) => timingSafeEqual(candidate, expected));
  });
  if (!genuine)
    return { ok: false, code: 'BAD_SIGNATURE', detail: 'The signature does not match the body and timestamp.' };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) {
    return {
      ok: false,
      code: 'STALE_TIMESTAMP',
      detail: `The timestamp is more than ${Math.round(toleranceMs / 1000)} s away from the server's clock.`,
    };
  }
  return { ok: true };
}

function digest(secret: string, timestamp: string, body: Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/**
 * Checks a Standard Webhooks delivery with the `standardwebhooks` library, under each of the
 * source's `whsec_` secrets (rotation). The library signs `<id>.<timestamp>.<body>`, compares in
 * constant time and refuses a timestamp more than 5 minutes off its clock before it looks at the
 * signature; `toleranceMs` can only narrow that, and is applied once the signature verified.
 */
export function verifyStandardWebhook(
  delivery: StandardWebhookDelivery,
  secrets: readonly string[],
  nowMs: number,
  toleranceMs: number,
): SignatureVerdict {
  const { id, timestamp, signature, body } = delivery;
  const { id: idHeader, timestamp: timestampHeader, signature: signatureHeader } = STANDARD_WEBHOOK_HEADERS;
  if (!id || !timestamp || !signature)
    return {
      ok: false,
      code: 'MISSING_SIGNATURE',
      detail: `${idHeader}, ${timestampHeader} and ${signatureHeader} are all required.`,
    };
  // The library reads the timestamp with parseInt, so `<seconds>x` verifies with the signature of
  // `<seconds>`: only bare seconds are taken, or a replay with a character appended would be NaN
  // to the narrower tolerance below, and pass it.
  if (!TIMESTAMP_PATTERN.test(timestamp))
    return { ok: false, code: 'BAD_SIGNATURE', detail: `${timestampHeader} must be unix time in seconds.` };
  const headers = { [idHeader]: id, [timestampHeader]: timestamp, [signatureHeader]: signature };
  const withinMs = Math.min(toleranceMs, STANDARD_WEBHOOKS_TOLERANCE_MS);
  let stale = false;
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(body, headers, { jsonParse: false });
      if (Math.abs(nowMs - Number(timestamp) * 1000) > withinMs) stale = true;
      else return { ok: true };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      if (/timestamp too (old|new)/.test(error.message)) stale = true;
    }
  }
  if (stale)
    return {
      ok: false,
      code: 'STALE_TIMESTAMP',
      detail: `The timestamp is more than ${Math.round(withinMs / 1000)} s away from the server's clock.`,
    };
  return { ok: false, code: 'BAD_SIGNATURE', detail: 'The signature does not match the id, body and timestamp.' };
}
