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

/**
 * The fewest typos that turn one string into the other, a typo being one of Damerau's four errors
 * anywhere, also next to another ("Больнич" → "Болиьч": a letter dropped and two neighbours
 * swapped are two typos, which the optimal-string-alignment count of editDistance makes three).
 * The unrestricted Damerau-Levenshtein distance (Lowrance and Wagner 1975), for the rules that
 * allow a retyped word its two typos; editDistance stays the measure of the spelling threshold.
 */
export function typoDistance(a: string, b: string): number {
  const [x, y] = [[...a], [...b]];
  const far = x.length + y.length;
  // d[i + 1][j + 1]: typos between the first i letters of x and the first j of y; row and column 0 hold `far`.
  const d = Array.from({ length: x.length + 2 }, () => new Array<number>(y.length + 2).fill(far));
  for (let i = 0; i <= x.length; i++) d[i + 1][1] = i;
  for (let j = 0; j <= y.length; j++) d[1][j + 1] = j;
  const lastRow = new Map<string, number>();
  for (let i = 1; i <= x.length; i++) {
    let lastColumn = 0;
    for (let j = 1; j <= y.length; j++) {
      const [i1, j1] = [lastRow.get(y[j - 1]) ?? 0, lastColumn];
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      if (cost === 0) lastColumn = j;
      d[i + 1][j + 1] = Math.min(
        d[i][j] + cost,
        d[i + 1][j] + 1,
        d[i][j + 1] + 1,
        d[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1),
      );
    }
    lastRow.set(x[i - 1], i);
  }
  return d[x.length + 1][y.length + 1];
}

/** Where two words of one length differ when they differ in exactly one letter; -1 otherwise (equal, another length, or more). */
export function onlyDifferingIndex(a: string, b: string): number {
  if (a.length !== b.length || a === b) return -1;
  let differing = -1;
  for (let index = 0; index < a.length; index++) {
    if (a[index] === b[index]) continue;
    if (differing >= 0) return -1;
    differing = index;
  }
  return differing;
}

/** Runs of one character, from `shortest` characters long, read as one ("ハナナ" → "ハナ"): a key typed again beside itself. */
export function runsReadOnce(text: string, shortest = 2): string {
  return text.replace(shortest <= 2 ? DOUBLED : TRIPLED, '$1');
}

const DOUBLED = /(.)\1+/gu;
const TRIPLED = /(.)\1{2,}/gu;
