import { createHmac } from 'node:crypto';
import type { TestDatabase } from './database';
import { request } from './http';
import type { RawResponse } from './http';

/** A JSON answer of a channel endpoint. */
export interface JsonResponse extends RawResponse {
  json: Record<string, unknown>;
}

/**
 * The webhook headers a marketplace sends: HMAC-SHA256 of `<timestamp>.<body>`, computed here with
 * node:crypto alone (not with the server's code), so a mistake on either side shows.
 */
export function signDelivery(
  secret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-signature-timestamp': String(timestampSeconds),
    'x-signature': `sha256=${signature}`,
  };
}

/**
 * Standard Webhooks headers: `v1,<base64>` of HMAC-SHA256 over `<id>.<timestamp>.<body>`, keyed
 * with the base64 after `whsec_`; computed with node:crypto alone, not with the library the
 * server verifies with, so a mistake on either side shows.
 */
export function signStandardDelivery(
  secret: string,
  id: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature}`,
  };
}

/** POSTs a body over its own connection and reads the answer as JSON (empty object when it is not). */
export async function post(
  baseUrl: string,
  path: string,
  body: string | Buffer,
  headers: Record<string, string | string[]>,
): Promise<JsonResponse> {
  const response = await request(baseUrl, path, { method: 'POST', headers, body });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    // not JSON (e.g. an NDJSON stream): callers read `text`
  }
  return { ...response, json };
}

/** The orders stored for one channel identity: the unique index must keep this at one. */
export async function ordersOfIdentity(
  db: TestDatabase,
  channel: string,
  source: string,
  externalId: string,
): Promise<{ id: string; customerId: string }[]> {
  return db.query<{ id: string; customerId: string }>(
    `SELECT "id", "customerId" FROM "Order" WHERE "channel" = $1::"SalesChannel" AND "source" = $2 AND "externalId" = $3`,
    [channel, source, externalId],
  );
}
