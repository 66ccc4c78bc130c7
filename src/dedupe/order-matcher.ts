import { DEFAULT_SEMANTIC_WINDOW_MS } from '../config/semantic-duplicate-policy';
import { fingerprintOf } from '../idempotency/fingerprint';
import { addressKey, addressTokens } from './shipping-address';
import type { ShippingAddress } from './shipping-address';

/**
 * The one matcher of semantic duplicates, used by the live path (OrderPlacementService) and by
 * the scan over stored orders (`npm run dedupe -- scan`): two orders of the same customer are
 * equivalent when, after normalisation, they ask for the same items in the same quantities, in
 * the same currency, to the same address (or both to none), within the window.
 */

export { DEFAULT_SEMANTIC_WINDOW_MS };

/** What the matcher reads of an order. */
export interface MatchableOrder {
  customerId: string;
  currency: string;
  lines: readonly { sku: string; quantity: number }[];
  shippingAddress?: ShippingAddress | null;
  createdAt: Date;
}

/** Two orders compared: how alike (0–1), why, and whether they count as the same intent. */
export interface OrderMatch {
  equivalent: boolean;
  similarity: number;
  reasons: string[];
}

/** SKUs without case or any white space, repeated SKUs merged, sorted. */
export function canonicalLines(lines: MatchableOrder['lines']): [string, number][] {
  const quantities = new Map<string, number>();
  for (const line of lines) {
    const sku = line.sku.replace(/\s+/g, '').toUpperCase();
    quantities.set(sku, (quantities.get(sku) ?? 0) + line.quantity);
  }
  return [...quantities].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * sha256 of what makes two orders equivalent (customer, currency, canonical lines, address key):
 * equal for equivalent orders, so the live path finds candidates with one indexed lookup.
 */
export function semanticFingerprint(order: Omit<MatchableOrder, 'createdAt'>): string {
  return fingerprintOf({
    customerId: order.customerId,
    currency: order.currency.trim().toUpperCase(),
    lines: canonicalLines(order.lines),
    address: addressKey(order.shippingAddress),
  });
}

/** Weights of the similarity score; they add up to 1. */
const WEIGHTS = { items: 0.6, address: 0.3, currency: 0.1 } as const;

/** Compares two orders; `windowMs` bounds how far apart equivalent orders may be placed. */
export function compareOrders(a: MatchableOrder, b: MatchableOrder, windowMs = DEFAULT_SEMANTIC_WINDOW_MS): OrderMatch {
  const reasons: string[] = [];
  const itemScore = linesSimilarity(canonicalLines(a.lines), canonicalLines(b.lines));
  if (itemScore === 1) reasons.push('same items and quantities');
  const sameCurrency = a.currency.trim().toUpperCase() === b.currency.trim().toUpperCase();
  if (sameCurrency) reasons.push('same currency');
  const keyA = addressKey(a.shippingAddress);
  const keyB = addressKey(b.shippingAddress);
  const addressScore = keyA === keyB ? 1 : keyA && keyB ? jaccard(addressWords(a), addressWords(b)) : 0;
  if (keyA === keyB) reasons.push(keyA ? 'same shipping address' : 'no shipping address on either');
  const apartMs = Math.abs(a.createdAt.getTime() - b.createdAt.getTime());
  const withinWindow = apartMs <= windowMs;
  if (withinWindow) reasons.push(`placed ${Math.round(apartMs / 1000)} s apart`);
  const sameCustomer = a.customerId === b.customerId;
  if (sameCustomer) reasons.push('same customer');
  const similarity = WEIGHTS.items * itemScore + WEIGHTS.address * addressScore + WEIGHTS.currency * (sameCurrency ? 1 : 0);
  return {
    equivalent: sameCustomer && withinWindow && itemScore === 1 && sameCurrency && keyA === keyB,
    similarity: Math.round(similarity * 1000) / 1000,
    reasons,
  };
}

/** 1 for the same lines; otherwise the share of units the two orders have in common. */
function linesSimilarity(a: [string, number][], b: [string, number][]): number {
  const quantitiesOfB = new Map(b);
  let shared = 0;
  let total = 0;
  for (const [sku, quantity] of a) {
    shared += Math.min(quantity, quantitiesOfB.get(sku) ?? 0);
    total += quantity;
  }
  for (const [, quantity] of b) total += quantity;
  return total === 0 ? 0 : (2 * shared) / total;
}

function addressWords(order: MatchableOrder): Set<string> {
  const address = order.shippingAddress!;
  return new Set(addressTokens(`${address.line1} ${address.line2 ?? ''} ${address.city} ${address.postalCode}`));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}
