import { createHash } from 'node:crypto';
import { IDEMPOTENCY_KEY_PATTERN } from 'graphql-idempotency';
import type { CreateOrderInput } from '../orders/create-order.input';
import type { SalesChannel } from '../sales-channel/sales-channel.type';

/** How a door names an order itself: its id within one source (a marketplace, a store). */
export interface ExternalIdentity {
  /** The system within the channel: a marketplace's name, a store's id. */
  source: string;
  /** The order's id there: a marketplace order id, a receipt number. */
  externalId: string;
}

/** What an order asks for, whatever door it came through (the channel is the door's to say). */
export type OrderContent = Omit<CreateOrderInput, 'channel' | 'orderToken'>;

/**
 * An order as an adapter translated it: who it is for, what it asks for, which door it came
 * through, and how that door names it. Adapters make these; only the ChannelGate places them.
 */
export interface ChannelOrder {
  channel: SalesChannel;
  /** The customer the order is for (a scope of keys, as a bearer token's `sub` is for GraphQL). */
  customerId: string;
  /** The door's own name for the order, or the caller's Idempotency-Key. */
  identity: { external: ExternalIdentity } | { idempotencyKey: string };
  content: OrderContent;
}

/**
 * The idempotency key an external identity stands for: `<channel>:<source>:<externalId>` (e.g.
 * `marketplace:acme:MKT-1001`, `pos:store-12:R-000123`), readable in the audit log. An identity
 * that does not fit the key format (other characters, too long) or holds a `:` (which would make
 * two identities one key) is hashed instead: `<channel>.sha256:<hex>`, which no readable key can
 * equal (those continue with `:`).
 */
export function externalKey(channel: SalesChannel, { source, externalId }: ExternalIdentity): string {
  const prefix = channel.toLowerCase();
  const readable = `${prefix}:${source}:${externalId}`;
  if (!source.includes(':') && !externalId.includes(':') && IDEMPOTENCY_KEY_PATTERN.test(readable)) return readable;
  return `${prefix}.sha256:${createHash('sha256').update(`${source}\n${externalId}`).digest('hex')}`;
}
