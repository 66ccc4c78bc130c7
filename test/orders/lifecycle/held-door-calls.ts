import { randomBytes } from 'node:crypto';
import { post, signDelivery, signStandardDelivery } from '../../support/channels';
import type { JsonResponse } from '../../support/channels';
import type { TestServer } from '../../support/server';

/**
 * The doors other than GraphQL, as the held-retry suites call them: each call sends one order to
 * the server given (the fixture's, or a second one on the same database with another policy).
 */

/** Two marketplaces: `acme` signs with HMAC-SHA256 (its key is the order's id), `bazaar` with Standard Webhooks (its key is the webhook-id). */
export function marketplaceSecrets(): { hmac: string; standard: string; env: Record<string, string> } {
  const hmac = `held-doors-${randomBytes(12).toString('hex')}`;
  const standard = `whsec_${randomBytes(24).toString('base64')}`;
  return {
    hmac,
    standard,
    env: {
      MARKETPLACE_WEBHOOK_SECRETS: `acme=${hmac},bazaar=${standard}`,
      MARKETPLACE_WEBHOOK_SCHEMES: 'bazaar=standard-webhooks',
    },
  };
}

/** A marketplace order's body: `quantity` × `sku` for the customer. */
export interface MarketplaceOrder {
  sku: string;
  customerId: string;
  quantity?: number;
}

function marketplaceBody(orderId: string, { sku, customerId, quantity = 1 }: MarketplaceOrder): string {
  return JSON.stringify({ orderId, customerId, currency: 'EUR', items: [{ sku, quantity }] });
}

/** A delivery to `acme` (HMAC-SHA256): the same order id is the same key. */
export function sendSigned(
  server: TestServer,
  secret: string,
  orderId: string,
  order: MarketplaceOrder,
): Promise<JsonResponse> {
  const body = marketplaceBody(orderId, order);
  return post(server.url, '/channels/marketplace/acme/orders', body, signDelivery(secret, body));
}

/** A message to `bazaar` (Standard Webhooks): its webhook-id is the key, the order id the identity. */
export function sendStandard(
  server: TestServer,
  secret: string,
  orderId: string,
  messageId: string,
  order: MarketplaceOrder,
): Promise<JsonResponse> {
  const body = marketplaceBody(orderId, order);
  return post(server.url, '/channels/marketplace/bazaar/orders', body, signStandardDelivery(secret, messageId, body));
}

/** `POST /api/v1/orders` of `quantity` × `sku` by the customer under the key. */
export async function sendRest(
  server: TestServer,
  customerId: string,
  key: string,
  sku: string,
  quantity: number,
): Promise<JsonResponse> {
  return post(server.url, '/api/v1/orders', JSON.stringify({ currency: 'EUR', items: [{ sku, quantity }] }), {
    'content-type': 'application/json',
    authorization: `Bearer ${await server.tokenFor(customerId)}`,
    'idempotency-key': key,
  });
}

/** What a POS upload reports last. */
export interface PosReport {
  created: number;
  held: number;
  notPlaced: { heldOrderId?: string }[];
}

/** Uploads one receipt of one `sku` for the customer at the store, as an admin; its report. */
export async function uploadReceipt(
  server: TestServer,
  receipt: { store: string; number: string; sku: string; customerId: string },
): Promise<PosReport> {
  const { store, number, sku, customerId } = receipt;
  const csv = `store,receipt,sku,quantity,currency,customer\n${store},${number},${sku},1,EUR,${customerId}\n`;
  const response = await post(server.url, '/channels/pos/receipts', csv, {
    authorization: `Bearer ${await server.tokenFor('pos-ops', 'admin')}`,
    'content-type': 'text/csv',
  });
  expect(response.status).toBe(200);
  return JSON.parse(response.text.trim().split('\n').at(-1)!) as PosReport;
}
