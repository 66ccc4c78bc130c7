import { createHash } from 'node:crypto';
import { IDEMPOTENCY_KEY_PATTERN } from 'graphql-idempotency';
import { SalesChannel } from './sales-channel.type';

/*
 * The idempotency keys the doors (marketplace webhooks, POS receipts) derive for their orders, and
 * the forms of key they reserve: here, below both the channels that derive them and the order
 * placement that refuses them to customers, so the two cannot drift apart.
 */

/** How a door names an order itself: its id within one source (a marketplace, a store). */
export interface ExternalIdentity {
  /** The system within the channel: a marketplace's name, a store's id. */
  source: string;
  /** The order's id there: a marketplace order id, a receipt number. */
  externalId: string;
}

/**
 * The idempotency key an external identity stands for: `<channel>:<source>:<externalId>` (e.g.
 * `marketplace:acme:MKT-1001`, `pos:store-12:R-000123`), readable in the audit log. An identity
 * that does not fit the key format (other characters, too long) or holds a `:` (which would make
 * two identities one key) is hashed instead: `<channel>.sha256:<hex>`, which no readable key can
 * equal (those continue with `:`).
 */
export function externalKey(channel: SalesChannel, { source, externalId }: ExternalIdentity): string {
  return readableOrHashed(keyPrefixOf(channel), source, externalId);
}

/**
 * The idempotency key of one delivery of an external order: `<channel>.delivery:<source>:<id>`
 * (e.g. `marketplace.delivery:bazaar:msg_2Kw…`), hashed as externalKey's are when it does not fit
 * (`<channel>.delivery.sha256:<hex>`). It can equal no key of externalKey's: those continue the
 * channel's name with `:` or `.sha256:`.
 */
export function deliveryKey(channel: SalesChannel, source: string, deliveryId: string): string {
  return readableOrHashed(`${keyPrefixOf(channel)}.delivery`, source, deliveryId);
}

/** The channels whose doors derive their orders' keys (externalKey, deliveryKey). */
const KEY_DERIVING_CHANNELS: readonly SalesChannel[] = [SalesChannel.MARKETPLACE, SalesChannel.POS];

/**
 * The reserved beginning of a key in a form the doors derive (`marketplace:`, `marketplace.`,
 * `pos:`, `pos.`), or null. Customers' keys (createOrder, the REST API) share the doors' key space
 * (the claim's scope and the unique (customerId, idempotencyKey) are the customer), so a customer
 * who sent `marketplace:acme:MKT-1` would hold the key of their own marketplace order and refuse it
 * for good (found from outside): keys of these forms are the doors' alone.
 */
export function reservedKeyPrefix(key: string): string | null {
  for (const channel of KEY_DERIVING_CHANNELS) {
    const prefix = keyPrefixOf(channel);
    const next = key.charAt(prefix.length);
    if (key.startsWith(prefix) && (next === ':' || next === '.')) return `${prefix}${next}`;
  }
  return null;
}

function keyPrefixOf(channel: SalesChannel): string {
  return channel.toLowerCase();
}

function readableOrHashed(prefix: string, source: string, id: string): string {
  const readable = `${prefix}:${source}:${id}`;
  if (!source.includes(':') && !id.includes(':') && IDEMPOTENCY_KEY_PATTERN.test(readable)) return readable;
  return `${prefix}.sha256:${createHash('sha256').update(`${source}\n${id}`).digest('hex')}`;
}
