/**
 * Greek family names take the gender of their bearer: a woman's is the genitive of the man's
 * (Παπαδόπουλος / Παπαδοπούλου, Παπαδάκης / Παπαδάκη, Μπάκας / Μπάκα), as Modern Greek grammars
 * state for surnames in -ος, -ης and -ας. A house named after Παπαδάκης and one named after
 * Παπαδάκη are two households, not one name with its last letter dropped or changed: as a Russian
 * or Ukrainian family name and its feminine form (slavic-feminine-form.ts), so used only where
 * nothing else names the place, a house name without numbers (street-words.ts). Folded as name
 * words are (text-folding.ts: accents gone, the final sigma a plain σ).
 */
const MASCULINE_FEMININE: readonly (readonly [string, string])[] = [
  ['οσ', 'ου'],
  ['ησ', 'η'],
  ['ασ', 'α'],
];

/** The same Greek stem of three letters or more, one word with a man's ending and the other with a woman's. */
export function greekFeminineForm(a: string, b: string): boolean {
  if (!GREEK.test(a) || !GREEK.test(b)) return false;
  return MASCULINE_FEMININE.some(([masculine, feminine]) => genderedPair(a, b, masculine, feminine));
}

function genderedPair(a: string, b: string, masculine: string, feminine: string): boolean {
  const [man, woman] = a.endsWith(masculine) ? [a, b] : [b, a];
  if (!man.endsWith(masculine) || !woman.endsWith(feminine)) return false;
  const stem = man.slice(0, -masculine.length);
  return stem.length >= 3 && woman === stem + feminine;
}

const GREEK = /^\p{sc=Greek}+$/u;
