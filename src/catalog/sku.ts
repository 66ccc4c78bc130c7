/** At most this many characters in a SKU. */
export const MAX_SKU_LENGTH = 64;

/**
 * SKUs are compared without case and surrounding white space: `" abc-1 "` and `"ABC-1"` name the
 * same product everywhere (catalog, orders, fingerprints).
 */
export function normalizeSku(sku: string): string {
  return sku.trim().toUpperCase();
}

/** ISO 4217 codes are three letters; stored upper case. */
export function normalizeCurrency(currency: string): string | null {
  const code = currency.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(code) ? code : null;
}
