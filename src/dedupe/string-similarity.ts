import damerauLevenshtein from 'talisman/metrics/damerau-levenshtein';
import talismanJaroWinkler from 'talisman/metrics/jaro-winkler';

/**
 * The two string measures of the matcher, from the `talisman` package (record-linkage building
 * blocks by médialab Sciences Po, each algorithm referenced to its paper; see docs/duplicates.md
 * for why it was chosen over cmpstr, natural, fastest-levenshtein and the others). Kept behind
 * these functions so that the package can be swapped without touching the rules.
 *
 * Inputs are already normalised by the caller (folded, lower case).
 */

/**
 * Edits between two strings, counting an insertion, a deletion, a substitution or the
 * transposition of two adjacent characters as one edit each: the four single errors of
 * Damerau (1964), in its "optimal string alignment" form.
 */
export function editDistance(a: string, b: string): number {
  return damerauLevenshtein(a, b);
}

/**
 * Whether `editDistance(a, b) <= 1`, without filling the table: equal, or one insertion,
 * deletion, substitution or swap of neighbours apart. The matcher asks this of every word
 * against its vocabulary; a linear scan is what makes that cheap.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (long.length - short.length > 1) return false;
  let start = 0;
  while (start < short.length && short[start] === long[start]) start++;
  if (short.length === long.length) {
    // One substitution, or two neighbours swapped.
    if (short.slice(start + 1) === long.slice(start + 1)) return true;
    return (
      start + 1 < short.length &&
      short[start] === long[start + 1] &&
      short[start + 1] === long[start] &&
      short.slice(start + 2) === long.slice(start + 2)
    );
  }
  // One letter more in the longer.
  return short.slice(start) === long.slice(start + 1);
}

/** 1 − edits / length of the longer string: 1 for equal strings, 0 for nothing in common. */
export function editSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - damerauLevenshtein(a, b) / longer;
}

/** Jaro-Winkler similarity (Winkler 1990), 0–1: generous to a shared beginning, as in names. */
export function jaroWinkler(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return a === b ? 1 : 0;
  return talismanJaroWinkler(a, b);
}
