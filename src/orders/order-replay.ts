import { FIELD_SEPARATOR, packUuid, unpackUuid } from '../idempotency/claim-codec';
import { OrderStatus } from './order.type';
import type { Order, OrderItem } from './order.type';
import type { ShippingAddress } from './shipping-address.type';

/** Version 1: the whole order as JSON. Still read (claims written before version 2), written only as a fallback. */
const REPLAY_V1 = 1;
/** Version 2 starts with this field. */
const REPLAY_V2 = 'r2';

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
 *   r2 · status ('' = CONFIRMED) · channel · currency · totalCents · orderTokenId · possibleDuplicateOfId ·
 *   mergedIntoId · shipping address (a JSON array of ADDRESS_FIELDS, '' for none) · then per item:
 *   sku · quantity · unitPriceCents · productId
 *
 * UUIDs as 22 base64url characters. An order that does not fit (a NUL in a text, an id that is not
 * a UUID, an address field this version does not know) is kept as version 1.
 */
export type OrderReplay = string | OrderReplayV1;

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
  const productIds = items.map((item) => packUuid(item.productId));
  if (possibleDuplicateOf === undefined || mergedInto === undefined || address === undefined) return undefined;
  if (productIds.some((id) => id === undefined)) return undefined;
  const fields = [
    REPLAY_V2,
    order.status === OrderStatus.CONFIRMED ? '' : order.status,
    order.channel,
    order.currency,
    String(order.totalCents),
    order.orderTokenId ?? '',
    possibleDuplicateOf,
    mergedInto,
    address,
    ...items.flatMap((item, index) => [
      item.sku,
      String(item.quantity),
      String(item.unitPriceCents),
      productIds[index]!,
    ]),
  ];
  // A NUL inside a field would shift every field after it: such an order (none passes the door) keeps version 1.
  return fields.some((field) => field.includes(FIELD_SEPARATOR)) ? undefined : fields.join(FIELD_SEPARATOR);
}

/** The address as a JSON array of ADDRESS_FIELDS ('' for none); undefined when it has a field this version does not know. */
function addressFields(address: Order['shippingAddress']): string | undefined {
  if (!address) return '';
  const known = new Set<string>(ADDRESS_FIELDS);
  if (Object.keys(address).some((field) => !known.has(field))) return undefined;
  const record = address as unknown as Record<string, string | null | undefined>;
  return JSON.stringify(ADDRESS_FIELDS.map((field) => record[field] ?? null));
}

function orderFromV2(text: string, resource: ReplayedResource, scope: { customerId: string; key: string }): Order {
  const [, status, channel, currency, totalCents, orderTokenId, possibleDuplicateOf, mergedInto, address, ...flat] =
    text.split(FIELD_SEPARATOR);
  const items: OrderItem[] = [];
  for (let at = 0; at + 3 < flat.length; at += 4) {
    items.push({
      orderId: resource.resourceId,
      sku: flat[at],
      quantity: Number(flat[at + 1]),
      unitPriceCents: Number(flat[at + 2]),
      productId: unpackUuid(flat[at + 3]),
    });
  }
  return {
    id: resource.resourceId,
    customerId: scope.customerId,
    idempotencyKey: scope.key,
    fingerprint: resource.fingerprint,
    orderTokenId: orderTokenId || null,
    status: (status || OrderStatus.CONFIRMED) as OrderStatus,
    channel: channel as Order['channel'],
    currency,
    totalCents: Number(totalCents),
    shippingAddress: address ? addressFrom(address) : null,
    possibleDuplicateOfId: possibleDuplicateOf ? unpackUuid(possibleDuplicateOf) : null,
    mergedIntoId: mergedInto ? unpackUuid(mergedInto) : null,
    createdAt: resource.firstSeenAt,
    items,
  };
}

/** The address as given: the fields it had (a field stored as null was absent or null, which answer alike). */
function addressFrom(text: string): ShippingAddress {
  const values = JSON.parse(text) as (string | null)[];
  const address: Record<string, string> = {};
  ADDRESS_FIELDS.forEach((field, index) => {
    if (values[index] != null) address[field] = values[index];
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
