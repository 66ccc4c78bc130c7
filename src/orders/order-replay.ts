import { FIELD_SEPARATOR, UUID_CHARS, packUuid, unpackUuid } from 'graphql-idempotency';
import { OrderStatus, SalesChannel } from './order.type';
import type { Order, OrderItem } from './order.type';
import type { ShippingAddress } from './shipping-address.type';

/** Version 1: the whole order as JSON. Still read (claims written before version 2), written only as a fallback. */
const REPLAY_V1 = 1;
/** Version 2 starts with this field. */
const REPLAY_V2 = '2';

/**
 * Items a replay holds at most. A replay lives in Redis beside the claim for the retention time;
 * an unusually large order is not kept there (its repeats read the database), so stored answers
 * stay small (about 40 bytes an item).
 */
export const MAX_REPLAY_ITEMS = 50;

/** An order as version 1 kept it with its completed claim. */
export interface OrderReplayV1 {
  v: typeof REPLAY_V1;
  order: Omit<Order, 'createdAt' | 'items'> & { createdAt: string; items: Omit<OrderItem, 'product'>[] };
}

/**
 * The answer of every repeat without a database read, kept with the completed claim: version 2, a
 * text of NUL-separated fields holding only what the claim and its key do not say already (the
 * order's id is the claim's resource, its creation the claim's firstSeenAt, its customer, key and
 * fingerprint the key's and the claim's):
 *
 *   2 · status ('' = CONFIRMED) · channel ('' = WEB) · currency · totalCents ('' = the items' sum) ·
 *   orderTokenId · possibleDuplicateOfId · mergedIntoId · 'a' and the ADDRESS_FIELDS (U+0001 for
 *   none), or '' without an address · then per item: productId and sku (one field, the id of
 *   fixed length first) · quantity · unitPriceCents
 *
 * UUIDs as 19 characters (claim-codec.ts's packUuid). An order that does not fit (a NUL in a text, an id that is not
 * a UUID, an address field this version does not know) is kept as version 1.
 */
export type OrderReplay = string | OrderReplayV1;

/** An address field that is absent (or null: they answer alike). */
const NO_FIELD = '\u0001';

/** The address fields version 2 keeps, in this order. */
const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;

/** What the repeat's claim and key already say about the order. */
export interface ReplayedResource {
  resourceId: string;
  fingerprint: string;
  firstSeenAt: Date;
}

/** The replay of an order, or undefined when it is too large to keep (or its items are not at hand). */
export function replayOf(order: Order): OrderReplay | undefined {
  if (!order.items || order.items.length > MAX_REPLAY_ITEMS) return undefined;
  return compactReplayOf(order, order.items) ?? replayV1Of(order, order.items);
}

/** The order a replay holds; null when there is none or it is of another version. */
export function orderFromReplay(
  replay: unknown,
  resource: ReplayedResource,
  scope: { customerId: string; key: string },
): Order | null {
  if (typeof replay === 'string') return replay.startsWith(REPLAY_V2) ? orderFromV2(replay, resource, scope) : null;
  if (!isReplayV1(replay)) return null;
  const { createdAt, items, ...fields } = replay.order;
  return { ...fields, createdAt: new Date(createdAt), items: items.map((item) => ({ ...item })) };
}

function compactReplayOf(order: Order, items: readonly OrderItem[]): string | undefined {
  const optionalUuid = (id: string | null | undefined) => (id == null ? '' : packUuid(id));
  const possibleDuplicateOf = optionalUuid(order.possibleDuplicateOfId);
  const mergedInto = optionalUuid(order.mergedIntoId);
  const address = addressFields(order.shippingAddress);
  const itemsTotal = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  const productIds = items.map((item) => packUuid(item.productId));
  if (possibleDuplicateOf === undefined || mergedInto === undefined || address === undefined) return undefined;
  if (productIds.some((id) => id === undefined)) return undefined;
  const fields = [
    REPLAY_V2,
    order.status === OrderStatus.CONFIRMED ? '' : order.status,
    order.channel === SalesChannel.WEB ? '' : order.channel,
    order.currency,
    order.totalCents === itemsTotal ? '' : String(order.totalCents),
    order.orderTokenId ?? '',
    possibleDuplicateOf,
    mergedInto,
    ...address,
    ...items.flatMap((item, index) => [
      productIds[index]! + item.sku,
      String(item.quantity),
      String(item.unitPriceCents),
    ]),
  ];
  // A NUL inside a field would shift every field after it: such an order (none passes the door) keeps version 1.
  return fields.some((field) => field.includes(FIELD_SEPARATOR)) ? undefined : fields.join(FIELD_SEPARATOR);
}

/** The address's fields ([''] for none); undefined when it has a field this version does not know, or a text it cannot tell from none. */
function addressFields(address: Order['shippingAddress']): string[] | undefined {
  if (!address) return [''];
  const known = new Set<string>(ADDRESS_FIELDS);
  if (Object.keys(address).some((field) => !known.has(field))) return undefined;
  const record = address as unknown as Record<string, unknown>;
  const values = ADDRESS_FIELDS.map((field) => record[field] ?? NO_FIELD);
  if (values.some((value) => typeof value !== 'string' || (value !== NO_FIELD && value.includes(NO_FIELD))))
    return undefined;
  return ['a', ...(values as string[])];
}

function orderFromV2(text: string, resource: ReplayedResource, scope: { customerId: string; key: string }): Order {
  const [, status, channel, currency, totalCents, orderTokenId, possibleDuplicateOf, mergedInto, hasAddress, ...rest] =
    text.split(FIELD_SEPARATOR);
  const address = hasAddress ? rest.slice(0, ADDRESS_FIELDS.length) : null;
  const flat = hasAddress ? rest.slice(ADDRESS_FIELDS.length) : rest;
  const items: OrderItem[] = [];
  for (let at = 0; at + 2 < flat.length; at += 3) {
    items.push({
      orderId: resource.resourceId,
      productId: unpackUuid(flat[at].slice(0, UUID_CHARS)),
      sku: flat[at].slice(UUID_CHARS),
      quantity: Number(flat[at + 1]),
      unitPriceCents: Number(flat[at + 2]),
    });
  }
  return {
    id: resource.resourceId,
    customerId: scope.customerId,
    idempotencyKey: scope.key,
    fingerprint: resource.fingerprint,
    orderTokenId: orderTokenId || null,
    status: (status || OrderStatus.CONFIRMED) as OrderStatus,
    channel: (channel || SalesChannel.WEB) as Order['channel'],
    currency,
    totalCents: totalCents
      ? Number(totalCents)
      : items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    shippingAddress: address && addressFrom(address),
    possibleDuplicateOfId: possibleDuplicateOf ? unpackUuid(possibleDuplicateOf) : null,
    mergedIntoId: mergedInto ? unpackUuid(mergedInto) : null,
    createdAt: resource.firstSeenAt,
    items,
  };
}

/** The address as given: the fields it had (a field absent or null answers alike). */
function addressFrom(values: readonly string[]): ShippingAddress {
  const address: Record<string, string> = {};
  ADDRESS_FIELDS.forEach((field, index) => {
    if (values[index] !== NO_FIELD) address[field] = values[index];
  });
  return address as unknown as ShippingAddress;
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
