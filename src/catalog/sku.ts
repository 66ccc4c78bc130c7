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

/** ISO 4217 codes are three letters; stored upper case. */
export function normalizeCurrency(currency: string): string | null {
  const code = currency.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : null;
}
