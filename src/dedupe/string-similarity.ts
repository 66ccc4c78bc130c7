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
