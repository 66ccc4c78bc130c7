import { DEFAULT_SEMANTIC_WINDOW_MS } from '../config/semantic-duplicate-policy';
import { compareAddresses } from './address-comparison';
import type { AddressDifference } from './address-comparison';
import { linesSimilarity, sameLines } from './cart-signature';
import type { CartLines } from './cart-signature';
import type { ShippingAddress } from './shipping-address';

/**
 * The one matcher of semantic duplicates, used by the live path (`judgeCandidates` in
 * src/orders/order-write.ts, inside the placement transaction, through compareCandidates) and by the scan over stored orders (`npm run dedupe -- scan`): two
 * orders are the same intent when the same customer asks, within the window, for the same cart
 * (a multiset of SKU and quantity, same currency) to the same delivery point. The address is
 * compared the way people re-type it (typos, abbreviations, accents, formats; see
 * address-comparison.ts), its numbers exactly. The rules and examples are in docs/duplicates.md.
 */

export { DEFAULT_SEMANTIC_WINDOW_MS };

/** What the matcher reads of an order. */
export interface MatchableOrder {
  customerId: string;
  currency: string;
  lines: CartLines;
  shippingAddress?: ShippingAddress | null;
  createdAt: Date;
}

/** Why two orders are not the same intent. */
export type OrderDifference =
  | AddressDifference
  | 'other customer'
  | 'other items'
  | 'other currency'
  | 'outside the window'
  | 'address on one only';

/** Two orders compared: how alike (0–1), why, and whether they count as the same intent. */
export interface OrderMatch {
  equivalent: boolean;
  similarity: number;
  /** What the two have in common (and what was forgiven), for the people who review a hold. */
  reasons: string[];
  /** What tells them apart; empty when equivalent. */
  differences: OrderDifference[];
}

/** Weights of the similarity score; they add up to 1. */
const WEIGHTS = { items: 0.6, address: 0.3, currency: 0.1 } as const;

/** Compares two orders; `windowMs` bounds how far apart equivalent orders may be placed. */
export function compareOrders(a: MatchableOrder, b: MatchableOrder, windowMs = DEFAULT_SEMANTIC_WINDOW_MS): OrderMatch {
  const reasons: string[] = [];
  const differences: OrderDifference[] = [];
  const sameItems = sameLines(a.lines, b.lines);
  if (sameItems) reasons.push('same items and quantities');
  else differences.push('other items');
  const sameCurrency = a.currency.trim().toUpperCase() === b.currency.trim().toUpperCase();
  if (sameCurrency) reasons.push('same currency');
  else differences.push('other currency');

  const addressScore = compareShipping(a.shippingAddress ?? null, b.shippingAddress ?? null, reasons, differences);
  const apartMs = Math.abs(a.createdAt.getTime() - b.createdAt.getTime());
  if (apartMs <= windowMs) reasons.push(`placed ${Math.round(apartMs / 1000)} s apart`);
  else differences.push('outside the window');
  if (a.customerId === b.customerId) reasons.push('same customer');
  else differences.push('other customer');

  const itemScore = sameItems ? 1 : linesSimilarity(a.lines, b.lines);
  const similarity =
    WEIGHTS.items * itemScore + WEIGHTS.address * addressScore + WEIGHTS.currency * (sameCurrency ? 1 : 0);
  return {
    equivalent: differences.length === 0,
    similarity: Math.round(similarity * 1000) / 1000,
    reasons,
    differences,
  };
}

/**
 * A match taken without comparing the addresses (possible-duplicate.ts's budget): what the lookup
 * established — the customer's, the same cart and currency, within the window — with the address
 * counted as the same for the decision but not in the similarity (its share is 0), and `note` saying why.
 */
export function matchWithoutAddress(a: MatchableOrder, b: MatchableOrder, windowMs: number, note: string): OrderMatch {
  const apartMs = Math.abs(a.createdAt.getTime() - b.createdAt.getTime());
  if (apartMs > windowMs)
    return compareOrders({ ...a, shippingAddress: null }, { ...b, shippingAddress: null }, windowMs);
  return {
    equivalent: true,
    similarity: WEIGHTS.items + WEIGHTS.currency,
    reasons: [
      'same items and quantities',
      'same currency',
      `placed ${Math.round(apartMs / 1000)} s apart`,
      'same customer',
      note,
    ],
    differences: [],
  };
}

/** Adds the address's reasons or differences; returns its share of the score (0–1). */
function compareShipping(
  a: ShippingAddress | null,
  b: ShippingAddress | null,
  reasons: string[],
  differences: OrderDifference[],
): number {
  if (!a && !b) {
    reasons.push('no shipping address on either');
    return 1;
  }
  if (!a || !b) {
    differences.push('address on one only');
    return 0;
  }
  const address = compareAddresses(a, b);
  if (address.identical) reasons.push('same shipping address');
  else if (address.alike) reasons.push(`same shipping address, typed differently: ${address.notes.join(', ')}`);
  differences.push(...address.differences);
  return address.similarity;
}
