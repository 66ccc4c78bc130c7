import { FIELD_SEPARATOR, UUID_CHARS, unpackUuid } from 'graphql-idempotency';
import { OrderStatus, SalesChannel } from './order.type';
import type { Order, OrderItem } from './order.type';
import type { ShippingAddress } from './shipping-address.type';

/** The address fields, in the order the replays (versions 2 and 3) keep them. */
export const ADDRESS_FIELDS = ['name', 'line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;

/** What the repeat's claim and key already say about the order. */
export interface ReplayedResource {
  resourceId: string;
  fingerprint: string;
  firstSeenAt: Date;
}

/** Whose key the replay answers. */
export interface ReplayScope {
  customerId: string;
  key: string;
}

/**
 * Version 2 of the order replay, read only (claims written before version 3 live out their
 * retention): a text of NUL-separated fields,
 *
 *   2 · status ('' = CONFIRMED) · channel ('' = WEB) · currency · totalCents ('' = the items' sum) ·
 *   orderTokenId · possibleDuplicateOfId · mergedIntoId · 'a' and the ADDRESS_FIELDS (U+0001 for
 *   none), or '' without an address · then per item: productId and sku (one field, the id of
 *   fixed length first) · quantity · unitPriceCents
 */
export const REPLAY_V2 = '2';

/** An address field that is absent (or null: they answer alike). */
const NO_FIELD = '\u0001';

export function orderFromV2(text: string, resource: ReplayedResource, scope: ReplayScope): Order {
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
