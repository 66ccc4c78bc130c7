import { isStorableText, UNSTORABLE_CHARACTERS } from '../db/storable-text';

/** At most this many characters in a SKU. */
export const MAX_SKU_LENGTH = 64;

/**
 * SKUs are compared without case and surrounding white space: `" abc-1 "` and `"ABC-1"` name the
 * same product everywhere (catalog, orders, fingerprints).
 */
export function normalizeSku(sku: string): string {
  return sku.trim().toUpperCase();
}

/** The SKU normalised, or null when it cannot name a product: empty, too long, or not storable (isStorableText). */
export function validSku(sku: string): string | null {
  const normalized = normalizeSku(sku);
  return normalized.length > 0 && normalized.length <= MAX_SKU_LENGTH && isStorableText(normalized) ? normalized : null;
}

/** What validSku asks of a SKU, as the answers that refuse one say it. */
export const SKU_RULE = `A SKU has 1 to ${MAX_SKU_LENGTH} characters, none of them ${UNSTORABLE_CHARACTERS}.`;

/**
 * The ISO 4217 currency codes, as the ICU data Node carries lists them (162 in Node 20; the
 * testing and "no currency" codes XTS and XXX are not among them). Three letters alone let an admin
 * sell a product in `XYZ`, which no order could ever pay.
 */
const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** What normalizeCurrency refuses, as the answers that refuse a currency say it. */
export const CURRENCY_RULE = 'The currency must be an ISO 4217 code, e.g. EUR.';

/** A currency as an order's fingerprint reads it, known or not: trimmed, upper case. */
export function canonicalCurrency(currency: string): string {
  return currency.trim().toUpperCase();
}

/** An ISO 4217 code in any case and spacing, stored upper case; null when it is none. */
export function normalizeCurrency(currency: string): string | null {
  const code = canonicalCurrency(currency);
  return /^[A-Z]{3}$/.test(code) && CURRENCY_CODES.has(code) ? code : null;
}
