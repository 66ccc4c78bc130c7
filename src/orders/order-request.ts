import {
  canonicalCurrency,
  CURRENCY_RULE,
  normalizeCurrency,
  normalizeSku,
  MAX_SKU_LENGTH,
  SKU_RULE,
} from '../catalog/sku';
import { fingerprintOf } from 'graphql-idempotency';
import { isStorableText, UNSTORABLE_CHARACTERS } from '../db/storable-text';
import { firstUnprintable, isBlank, UNPRINTABLE_CHARACTERS } from '../request/printable-text';
import { fieldPath } from '../request/field-path';
import type { CreateOrderInput } from './create-order.input';
import { SalesChannel } from '../db/generated/enums';
import type { ShippingAddress } from '../dedupe/shipping-address';
import { countryCodeProblem, hasNoPostcodes } from './country-codes';
import { MAX_ADDRESS_FIELD_LENGTH } from './shipping-address-rule';

/** Lines in one order, after merging repeated SKUs. */
export const MAX_ORDER_LINES = 100;
/** Units of one SKU in one order. */
export const MAX_LINE_QUANTITY = 10_000;

/** createOrder's words for an order without items, and for a quantity it refuses (every door says them). */
export const AT_LEAST_ONE_ITEM = 'An order needs at least one item.';
export const QUANTITY_RULE = 'The quantity must be a whole number of at least 1.';

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

/** A request the rules accept, or the first field they refuse, with the canonical form either way (for its fingerprint). */
export type ParsedOrderRequest =
  { ok: true; request: OrderRequest } | { ok: false; field: string; message: string; request: OrderRequest };

/** Checks the input's shape (nothing that needs the catalog) and brings it to canonical form. */
export function parseOrderRequest(input: CreateOrderInput): ParsedOrderRequest {
  const request = canonicalOrderRequest(input);
  const refused = orderRequestProblem(input, request);
  return refused ? { ok: false, ...refused, request } : { ok: true, request };
}

/**
 * The input in canonical form, whether the rules accept it or not: SKUs and the currency trimmed
 * and upper case, repeated SKUs merged, lines sorted by SKU, the address canonical. A payload that
 * today's rules refuse has the fingerprint it had when an earlier version accepted it, so a retry
 * of its key is recognised (the guard answers it with the first order, not the refusal).
 */
function canonicalOrderRequest(input: CreateOrderInput): OrderRequest {
  const quantities = new Map<string, number>();
  for (const item of input.items) {
    const sku = normalizeSku(item.sku);
    quantities.set(sku, (quantities.get(sku) ?? 0) + item.quantity);
  }
  const lines = [...quantities].map(([sku, quantity]) => ({ sku, quantity })).sort((a, b) => compareText(a.sku, b.sku));
  const currency = canonicalCurrency(input.currency);
  const request: OrderRequest = { currency, channel: input.channel ?? SalesChannel.WEB, lines };
  if (input.shippingAddress) request.shippingAddress = canonicalShippingAddress(input.shippingAddress);
  return request;
}

/** The first field the rules refuse, or null; `request` is the input's canonical form. */
function orderRequestProblem(input: CreateOrderInput, request: OrderRequest): Problem | null {
  if (!normalizeCurrency(input.currency)) return { field: 'currency', message: CURRENCY_RULE };
  if (input.items.length === 0) return { field: 'items', message: AT_LEAST_ONE_ITEM };
  for (const [index, item] of input.items.entries()) {
    const sku = normalizeSku(item.sku);
    if (sku.length === 0 || sku.length > MAX_SKU_LENGTH)
      return {
        field: fieldPath(['items', index, 'sku']),
        message: `The SKU must be 1 to ${MAX_SKU_LENGTH} characters.`,
      };
    if (!isStorableText(sku)) return { field: fieldPath(['items', index, 'sku']), message: SKU_RULE };
    if (!Number.isInteger(item.quantity) || item.quantity < 1)
      return { field: fieldPath(['items', index, 'quantity']), message: QUANTITY_RULE };
  }
  if (request.lines.length > MAX_ORDER_LINES)
    return { field: 'items', message: `An order may have at most ${MAX_ORDER_LINES} different SKUs.` };
  const tooMany = request.lines.find((line) => line.quantity > MAX_LINE_QUANTITY);
  if (tooMany) return { field: 'items', message: `At most ${MAX_LINE_QUANTITY} units of ${tooMany.sku} per order.` };
  const address = input.shippingAddress && shippingAddressProblem(input.shippingAddress);
  return address ? { field: fieldPath(['shippingAddress', address.field]), message: address.message } : null;
}

/** A field the rules refuse, and why. */
interface Problem {
  field: string;
  message: string;
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
const ADDRESS_FIELDS = [...REQUIRED_ADDRESS_FIELDS, ...OPTIONAL_ADDRESS_FIELDS] as const;
/** A postcode is required but where the country has none (hasNoPostcodes). */
const isRequired = (field: string, country: string | undefined): boolean =>
  (REQUIRED_ADDRESS_FIELDS as readonly string[]).includes(field) &&
  !(field === 'postalCode' && hasNoPostcodes(country ?? ''));

/**
 * The address trimmed, or the first field that is wrong: the one check of every door that takes an
 * address (createOrder, changeShippingAddress, the REST API's two routes, the marketplace webhook,
 * the order import).
 */
export function parseShippingAddress(input: ShippingAddress): ShippingAddress | Problem {
  return shippingAddressProblem(input) ?? canonicalShippingAddress(input);
}

/**
 * The address in canonical form, whether the rules accept it or not (what a fingerprint reads):
 * fields trimmed, blank ones left out, the country's ASCII letters upper case. A required field of
 * nothing visible (a Hangul filler) stays: today's rules refuse it, but versions that read only
 * trim() for blank placed such orders, and their retries must keep the fingerprint they had.
 */
export function canonicalShippingAddress(input: ShippingAddress): ShippingAddress {
  const address: Record<string, string> = {};
  for (const field of ADDRESS_FIELDS) {
    const value = input[field]?.trim() ?? '';
    if (!isBlank(value) || (value.length > 0 && isRequired(field, input.country))) address[field] = value;
  }
  // Where there are no postcodes an empty one is the address's own: kept, as the field is never absent.
  if (address['postalCode'] === undefined && hasNoPostcodes(input.country ?? '')) address['postalCode'] = '';
  // ASCII only: `'ıt'.toUpperCase()` is `IT`, and a refused dotless i must not read as Italy.
  if (address['country']) address['country'] = address['country'].replace(/[a-z]/g, (letter) => letter.toUpperCase());
  return address as unknown as ShippingAddress;
}

/** The first field of the address that the rules refuse, or null. */
export function shippingAddressProblem(input: ShippingAddress): Problem | null {
  for (const field of ADDRESS_FIELDS) {
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
    if (isBlank(value) && isRequired(field, input.country)) return { field, message: 'This field is required.' };
  }
  const countryProblem = countryCodeProblem(input.country.trim());
  return countryProblem ? { field: 'country', message: countryProblem } : null;
}

/**
 * Code-point order, the same on every machine and locale (unlike localeCompare, which follows the
 * process's LANG: under da_DK `AA-1` sorts after `Z-1`). For anything sorted into a fingerprint.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
