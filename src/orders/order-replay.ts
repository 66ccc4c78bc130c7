import { FIELD_SEPARATOR, UUID_CHARS, packUuid, unpackUuid } from 'graphql-idempotency';
import { OrderStatus, SalesChannel } from './order.type';
import type { Order, OrderItem } from './order.type';
import { ADDRESS_FIELDS, REPLAY_V2, orderFromV2 } from './order-replay-v2';
import type { ReplayScope, ReplayedResource } from './order-replay-v2';
import type { ShippingAddress } from './shipping-address.type';

/** Version 1: the whole order as JSON. Still read (claims written before version 2), written only as a fallback. */
const REPLAY_V1 = 1;
/** Version 3 starts with this character. */
const REPLAY_V3 = '3';

/**
 * Items a replay holds at most. A replay lives in Redis beside the claim for the retention time;
 * an unusually large order is not kept there (its repeats read the database), so stored answers
 * stay small (about 35 bytes an item).
 */
export const MAX_REPLAY_ITEMS = 50;

/** An order as version 1 kept it with its completed claim. */
export interface OrderReplayV1 {
  v: typeof REPLAY_V1;
  order: Omit<Order, 'createdAt' | 'items'> & { createdAt: string; items: Omit<OrderItem, 'product'>[] };
}

/**
 * The answer of every repeat without a database read, kept with the completed claim: version 3, a
 * text holding only what the claim and its key do not say already (the order's id is the claim's
 * resource, its creation the claim's firstSeenAt, its customer, key and fingerprint the key's and
 * the claim's), and nothing for what most orders share:
 *
 *   '3' · one character of ORDER_FLAGS (which optional fields follow) · with an address, one
 *   character of ADDRESS_FIELDS present · the currency (3 characters) · then NUL-separated: the
 *   optional fields flagged, in ORDER_FLAGS' order · the address fields present · per item:
 *   productId and sku (one field, the id of fixed length first) · quantity · unitPriceCents
 *
 * A flags character is its bits + 1 (never NUL). UUIDs as 19 characters (claim-codec.ts's
 * packUuid). An order that does not fit (a NUL in a text, an id that is not a UUID, a currency not
 * of 3 characters, an address field this version does not know) is kept as version 1. Version 2
 * (order-replay-v2.ts) is still read.
 */
export type OrderReplay = string | OrderReplayV1;

/** The order fields version 3 writes only when they are not what most orders have. */
const ORDER_FLAGS = {
  status: 1,
  channel: 2,
  totalCents: 4,
  orderTokenId: 8,
  possibleDuplicateOfId: 16,
  mergedIntoId: 32,
  shippingAddress: 64,
} as const;

export type { ReplayScope, ReplayedResource };

/** The replay of an order, or undefined when it is too large to keep (or its items are not at hand). */
export function replayOf(order: Order): OrderReplay | undefined {
  if (!order.items || order.items.length > MAX_REPLAY_ITEMS) return undefined;
  return compactReplayOf(order, order.items) ?? replayV1Of(order, order.items);
}

/** The order a replay holds; null when there is none or it is of another version. */
export function orderFromReplay(replay: unknown, resource: ReplayedResource, scope: ReplayScope): Order | null {
  if (typeof replay === 'string') {
    if (replay.startsWith(REPLAY_V3)) return orderFromV3(replay, resource, scope);
    return replay.startsWith(REPLAY_V2 + FIELD_SEPARATOR) ? orderFromV2(replay, resource, scope) : null;
  }
  if (!isReplayV1(replay)) return null;
  const { createdAt, items, ...fields } = replay.order;
  return { ...fields, createdAt: new Date(createdAt), items: items.map((item) => ({ ...item })) };
}

function compactReplayOf(order: Order, items: readonly OrderItem[]): string | undefined {
  const optionalUuid = (id: string | null | undefined) => (id == null ? '' : packUuid(id));
  const possibleDuplicateOf = optionalUuid(order.possibleDuplicateOfId);
  const mergedInto = optionalUuid(order.mergedIntoId);
  const address = addressFields(order.shippingAddress);
  const productIds = items.map((item) => packUuid(item.productId));
  if (possibleDuplicateOf === undefined || mergedInto === undefined || address === undefined) return undefined;
  if (productIds.some((id) => id === undefined) || order.currency.length !== 3) return undefined;
  const itemsTotal = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  const optional: [keyof typeof ORDER_FLAGS, string | null][] = [
    ['status', order.status === OrderStatus.CONFIRMED ? null : order.status],
    ['channel', order.channel === SalesChannel.WEB ? null : order.channel],
    ['totalCents', order.totalCents === itemsTotal ? null : String(order.totalCents)],
    ['orderTokenId', order.orderTokenId ?? null],
    ['possibleDuplicateOfId', possibleDuplicateOf || null],
    ['mergedIntoId', mergedInto || null],
  ];
  let flags = address ? ORDER_FLAGS.shippingAddress : 0;
  const fields: string[] = [];
  for (const [name, value] of optional) {
    if (value === null) continue;
    flags |= ORDER_FLAGS[name];
    fields.push(value);
  }
  if (address) fields.push(...address.values);
  for (const [index, item] of items.entries())
    fields.push(productIds[index]! + item.sku, String(item.quantity), String(item.unitPriceCents));
  const head = REPLAY_V3 + flagsChar(flags) + (address ? flagsChar(address.present) : '') + order.currency;
  // A NUL inside a field would shift every field after it: such an order (none passes the door) keeps version 1.
  if (head.includes(FIELD_SEPARATOR) || fields.some((field) => field.includes(FIELD_SEPARATOR))) return undefined;
  return head + fields.join(FIELD_SEPARATOR);
}

/** The address's present fields (bit i: ADDRESS_FIELDS[i]) and their texts; null for none, undefined when it cannot be kept. */
function addressFields(address: Order['shippingAddress']): { present: number; values: string[] } | null | undefined {
  if (!address) return null;
  const known = new Set<string>(ADDRESS_FIELDS);
  if (Object.keys(address).some((field) => !known.has(field))) return undefined;
  const record = address as unknown as Record<string, unknown>;
  let present = 0;
  const values: string[] = [];
  for (const [bit, field] of ADDRESS_FIELDS.entries()) {
    const value = record[field];
    if (value == null) continue;
    if (typeof value !== 'string') return undefined;
    present |= 1 << bit;
    values.push(value);
  }
  return { present, values };
}

function orderFromV3(text: string, resource: ReplayedResource, scope: ReplayScope): Order {
  const flags = flagsOf(text, 1);
  const hasAddress = (flags & ORDER_FLAGS.shippingAddress) !== 0;
  const present = hasAddress ? flagsOf(text, 2) : 0;
  const currencyAt = hasAddress ? 3 : 2;
  const fields = text.slice(currencyAt + 3).split(FIELD_SEPARATOR);
  let at = 0;
  const next = (flag: number) => ((flags & flag) !== 0 ? fields[at++] : null);
  const status = next(ORDER_FLAGS.status);
  const channel = next(ORDER_FLAGS.channel);
  const totalCents = next(ORDER_FLAGS.totalCents);
  const orderTokenId = next(ORDER_FLAGS.orderTokenId);
  const possibleDuplicateOf = next(ORDER_FLAGS.possibleDuplicateOfId);
  const mergedInto = next(ORDER_FLAGS.mergedIntoId);
  let shippingAddress: ShippingAddress | null = null;
  if (hasAddress) {
    const address: Record<string, string> = {};
    for (const [bit, field] of ADDRESS_FIELDS.entries()) if (present & (1 << bit)) address[field] = fields[at++];
    shippingAddress = address as unknown as ShippingAddress;
  }
  const items: OrderItem[] = [];
  for (; at + 2 < fields.length; at += 3) {
    items.push({
      orderId: resource.resourceId,
      productId: unpackUuid(fields[at].slice(0, UUID_CHARS)),
      sku: fields[at].slice(UUID_CHARS),
      quantity: Number(fields[at + 1]),
      unitPriceCents: Number(fields[at + 2]),
    });
  }
  return {
    id: resource.resourceId,
    customerId: scope.customerId,
    idempotencyKey: scope.key,
    fingerprint: resource.fingerprint,
    orderTokenId,
    status: (status ?? OrderStatus.CONFIRMED) as OrderStatus,
    channel: (channel ?? SalesChannel.WEB) as Order['channel'],
    currency: text.slice(currencyAt, currencyAt + 3),
    totalCents:
      totalCents !== null
        ? Number(totalCents)
        : items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    shippingAddress,
    possibleDuplicateOfId: possibleDuplicateOf === null ? null : unpackUuid(possibleDuplicateOf),
    mergedIntoId: mergedInto === null ? null : unpackUuid(mergedInto),
    createdAt: resource.firstSeenAt,
    items,
  };
}

/** Up to 7 bits as one character (bits + 1: never NUL). */
function flagsChar(bits: number): string {
  return String.fromCharCode(bits + 1);
}

function flagsOf(text: string, at: number): number {
  return text.charCodeAt(at) - 1;
}

function replayV1Of(order: Order, items: readonly OrderItem[]): OrderReplayV1 {
  return {
    v: REPLAY_V1,
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

function isReplayV1(value: unknown): value is OrderReplayV1 {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { v?: unknown }).v === REPLAY_V1 &&
    typeof (value as { order?: unknown }).order === 'object'
  );
}
