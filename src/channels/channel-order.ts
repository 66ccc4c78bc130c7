import type { CreateOrderInput } from '../orders/create-order.input';
import type { SalesChannel } from '../sales-channel/sales-channel.type';
import type { ExternalIdentity } from '../sales-channel/door-keys';

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
  /**
   * The door's own name for the order, or the caller's Idempotency-Key. `delivery` is the sender's
   * id of the message that carried the order (a Standard Webhooks `webhook-id`): when given, it is
   * what repeats are recognised by (deliveryKey), while the identity stays the order's name in the
   * database, where its unique index stops a second order whatever the delivery. A delivery is its
   * source's whatever customer it names: the unique (channel, source, idempotencyKey) of the doors'
   * orders stops a second order under one webhook-id (the claim is per customer and cannot).
   */
  identity: { external: ExternalIdentity; delivery?: string } | { idempotencyKey: string };
  content: OrderContent;
}
