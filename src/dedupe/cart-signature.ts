import { normalizeSku } from '../catalog/sku';
import { fingerprintOf } from 'graphql-idempotency';

/** An order's lines as the matcher reads them. */
export type CartLines = readonly { sku: string; quantity: number }[];

/**
 * The cart as a multiset: SKUs as the catalog compares them (case and surrounding white space
 * ignored), repeated SKUs merged, sorted by SKU in code-point order.
 */
export function canonicalLines(lines: CartLines): [string, number][] {
  const quantities = new Map<string, number>();
  for (const line of lines) {
    const sku = normalizeSku(line.sku);
    quantities.set(sku, (quantities.get(sku) ?? 0) + line.quantity);
  }
  return [...quantities].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * sha256 (hex) of the currency and the canonical lines: `["EUR",[["SKU-1",2],["SKU-7",1]]]`.
 * Equal for two orders exactly when they ask for the same SKUs in the same quantities and
 * currency, so it is the blocking key of the matcher: the live check looks candidates up by
 * (customer, cart signature, time) and the scan keeps a customer's recent orders by it. The
 * migration that added the column computes the same value in SQL for stored orders.
 */
export function cartSignature(order: { currency: string; lines: CartLines }): string {
  return fingerprintOf([order.currency.trim().toUpperCase(), canonicalLines(order.lines)]);
}

/** Whether two carts are the same multiset of SKU and quantity (currency aside). */
export function sameLines(a: CartLines, b: CartLines): boolean {
  const left = canonicalLines(a);
  const right = canonicalLines(b);
  return (
    left.length === right.length &&
    left.every(([sku, quantity], index) => right[index][0] === sku && right[index][1] === quantity)
  );
}

/** 1 for the same lines; otherwise the share of units the two carts have in common. */
export function linesSimilarity(a: CartLines, b: CartLines): number {
  const quantitiesOfB = new Map(canonicalLines(b));
  let shared = 0;
  let total = 0;
  for (const [sku, quantity] of canonicalLines(a)) {
    shared += Math.min(quantity, quantitiesOfB.get(sku) ?? 0);
    total += quantity;
  }
  for (const [, quantity] of quantitiesOfB) total += quantity;
  return total === 0 ? 0 : (2 * shared) / total;
}
