import { foldedWords } from './text-folding';
import type { ShippingAddress } from './shipping-address';

/** The comma-separated parts of a line 2, each as its folded words, in order. */
function partsOf(line: string | null | undefined): string[] {
  return (line ?? '')
    .split(/[,;]/)
    .map((part) => foldedWords(part).join(' '))
    .filter((part) => part !== '');
}

/**
 * The second address with the first's line 2 when the two hold the same parts in another order:
 * "Near Ganesha Temple, Malleshwaram" and "Malleshwaram, Near Ganesha Temple" (an Indian landmark
 * and locality, found from outside, 2026-12-05) name the same surroundings; else null. Every part
 * must be on both sides, word for word: another locality or landmark is another address.
 */
export function withLineTwoReordered(a: ShippingAddress, b: ShippingAddress): ShippingAddress | null {
  const [left, right] = [partsOf(a.line2), partsOf(b.line2)];
  if (left.length < 2 || left.length !== right.length || left.join(',') === right.join(',')) return null;
  const sorted = (parts: string[]) => [...parts].sort().join(',');
  return sorted(left) === sorted(right) ? { ...b, line2: a.line2 } : null;
}
