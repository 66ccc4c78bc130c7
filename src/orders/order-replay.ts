import type { Order, OrderItem } from './order.type';

/** Bumped when the shape changes: a replay of another version is read from the database instead. */
const REPLAY_VERSION = 1;

/**
 * Items a replay holds at most. A replay lives in Redis beside the claim for the retention time;
 * an unusually large order is not kept there (its repeats read the database), so stored answers
 * stay small (about 100 bytes an item).
 */
export const MAX_REPLAY_ITEMS = 50;

/** An order as kept with its completed claim: the answer of every repeat, without a database read. */
export interface OrderReplay {
  v: typeof REPLAY_VERSION;
  order: Omit<Order, 'createdAt' | 'items'> & { createdAt: string; items: Omit<OrderItem, 'product'>[] };
}

/** The replay of an order, or undefined when it is too large to keep (or its items are not at hand). */
export function replayOf(order: Order): OrderReplay | undefined {
  if (!order.items || order.items.length > MAX_REPLAY_ITEMS) return undefined;
  const { items } = order;
  return {
    v: REPLAY_VERSION,
    order: {
      id: order.id,
      customerId: order.customerId,
      idempotencyKey: order.idempotencyKey,
      fingerprint: order.fingerprint,
      orderTokenId: order.orderTokenId ?? null,
      status: order.status,
      channel: order.channel,
      currency: order.currency,
      totalCents: order.totalCents,
      shippingAddress: order.shippingAddress ?? null,
      possibleDuplicateOfId: order.possibleDuplicateOfId ?? null,
      mergedIntoId: order.mergedIntoId ?? null,
      createdAt: order.createdAt.toISOString(),
      // Products are resolved per request (their name and stock change without the order changing).
      items: items.map(({ orderId, productId, sku, quantity, unitPriceCents }) => ({
        orderId,
        productId,
        sku,
        quantity,
        unitPriceCents,
      })),
    },
  };
}

/** The order a replay holds; null when there is none or it is of another version. */
export function orderFromReplay(replay: unknown): Order | null {
  if (!isReplay(replay)) return null;
  const { createdAt, items, ...fields } = replay.order;
  return { ...fields, createdAt: new Date(createdAt), items: items.map((item) => ({ ...item })) };
}

function isReplay(value: unknown): value is OrderReplay {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { v?: unknown }).v === REPLAY_VERSION &&
    typeof (value as { order?: unknown }).order === 'object'
  );
}
