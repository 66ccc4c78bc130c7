import { CURRENCY_RULE, normalizeCurrency, normalizeSku, MAX_SKU_LENGTH, SKU_RULE } from '../catalog/sku';
import { fingerprintOf } from 'graphql-idempotency';
import { isStorableText, UNSTORABLE_CHARACTERS } from '../db/storable-text';
import { firstUnprintable, isBlank, UNPRINTABLE_CHARACTERS } from '../request/printable-text';
import { fieldPath } from '../request/field-path';
import type { CreateOrderInput } from './create-order.input';
import { SalesChannel } from '../db/generated/enums';
import type { ShippingAddress } from '../dedupe/shipping-address';
import { countryCodeProblem } from './country-codes';
import { MAX_ADDRESS_FIELD_LENGTH } from './shipping-address-rule';

/** Lines in one order, after merging repeated SKUs. */
export const MAX_ORDER_LINES = 100;
/** Units of one SKU in one order. */
export const MAX_LINE_QUANTITY = 10_000;

export interface OrderLine {
  sku: string;
  quantity: number;
}

/** A createOrder request in canonical form: SKUs normalised, repeated SKUs merged, sorted by SKU. */
export interface OrderRequest {
  currency: string;
  channel: SalesChannel;
  lines: OrderLine[];
  /** Trimmed, empty optional fields left out; country upper case. */
  shippingAddress?: ShippingAddress;
}

export type ParsedOrderRequest = { ok: true; request: OrderRequest } | { ok: false; field: string; message: string };

/** Checks the input's shape (nothing that needs the catalog) and brings it to canonical form. */
export function parseOrderRequest(input: CreateOrderInput): ParsedOrderRequest {
  const currency = normalizeCurrency(input.currency);
  if (!currency) return problem('currency', CURRENCY_RULE);
  if (input.items.length === 0) return problem('items', 'An order needs at least one item.');
  const quantities = new Map<string, number>();
  for (const [index, item] of input.items.entries()) {
    const sku = normalizeSku(item.sku);
    if (sku.length === 0 || sku.length > MAX_SKU_LENGTH) {
      return problem(fieldPath(['items', index, 'sku']), `The SKU must be 1 to ${MAX_SKU_LENGTH} characters.`);
    }
    if (!isStorableText(sku)) return problem(fieldPath(['items', index, 'sku']), SKU_RULE);
    if (!Number.isInteger(item.quantity) || item.quantity < 1) {
      return problem(fieldPath(['items', index, 'quantity']), 'The quantity must be a whole number of at least 1.');
    }
    quantities.set(sku, (quantities.get(sku) ?? 0) + item.quantity);
  }
  if (quantities.size > MAX_ORDER_LINES)
    return problem('items', `An order may have at most ${MAX_ORDER_LINES} different SKUs.`);
  const lines = [...quantities].map(([sku, quantity]) => ({ sku, quantity })).sort((a, b) => compareText(a.sku, b.sku));
  const tooMany = lines.find((line) => line.quantity > MAX_LINE_QUANTITY);
  if (tooMany) return problem('items', `At most ${MAX_LINE_QUANTITY} units of ${tooMany.sku} per order.`);
  const request: OrderRequest = { currency, channel: input.channel ?? SalesChannel.WEB, lines };
  if (input.shippingAddress) {
    const address = parseShippingAddress(input.shippingAddress);
    if ('field' in address) return problem(fieldPath(['shippingAddress', address.field]), address.message);
    request.shippingAddress = address;
  }
  return { ok: true, request };
}

/**
 * The request's fingerprint: who asks for what, with the idempotency key (and any one-time
 * token) left out, so that a retry of the same intent always matches.
 */
export function fingerprintOrderRequest(customerId: string, request: OrderRequest): string {
  return fingerprintOf({
    customerId,
    currency: request.currency,
    channel: request.channel,
    lines: request.lines.map((line) => [line.sku, line.quantity]),
    // A different address is a different payload. Left out when absent, so that requests without
    // one keep the fingerprints they had before addresses existed. Compared as sent (trimmed):
    // a reformatted address under the same key is a changed payload, not a retry.
    ...(request.shippingAddress ? { shippingAddress: { ...request.shippingAddress } } : {}),
  });
}

const REQUIRED_ADDRESS_FIELDS = ['line1', 'city', 'postalCode', 'country'] as const;
const OPTIONAL_ADDRESS_FIELDS = ['name', 'line2', 'region'] as const;

/**
 * The address trimmed, or the first field that is wrong: the one check of every door that takes an
 * address (createOrder, changeShippingAddress, the REST API's two routes, the marketplace webhook,
 * the order import).
 */
export function parseShippingAddress(input: ShippingAddress): ShippingAddress | { field: string; message: string } {
  const address: Record<string, string> = {};
  for (const field of [...REQUIRED_ADDRESS_FIELDS, ...OPTIONAL_ADDRESS_FIELDS]) {
    const value = input[field]?.trim() ?? '';
    if (value.length > MAX_ADDRESS_FIELD_LENGTH)
      return { field, message: `At most ${MAX_ADDRESS_FIELD_LENGTH} characters.` };
    if (!isStorableText(value))
      return {
        field,
        message: `At most ${MAX_ADDRESS_FIELD_LENGTH} characters, none of them ${UNSTORABLE_CHARACTERS}.`,
      };
    // Printed on labels and shown to the people who review a held order: a bell, an escape
    // sequence, a line break or a bidirectional override inside a field is refused, not stored.
    const unprintable = firstUnprintable(value);
    if (unprintable)
      return { field, message: `Holds ${unprintable}: none of the characters may be ${UNPRINTABLE_CHARACTERS}.` };
    if (!isBlank(value)) address[field] = value;
    else if ((REQUIRED_ADDRESS_FIELDS as readonly string[]).includes(field))
      return { field, message: 'This field is required.' };
  }
  const countryProblem = countryCodeProblem(address['country']);
  if (countryProblem) return { field: 'country', message: countryProblem };
  address['country'] = address['country'].toUpperCase();
  return address as unknown as ShippingAddress;
}

/**
 * Code-point order, the same on every machine and locale (unlike localeCompare, which follows the
 * process's LANG: under da_DK `AA-1` sorts after `Z-1`). For anything sorted into a fingerprint.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function problem(field: string, message: string): ParsedOrderRequest {
  return { ok: false, field, message };
}
