import { longest, spellingAlike } from './spelling-agreement';
import { editSimilarity, typoDistance } from './string-similarity';
import { foldText } from './text-folding';

/**
 * Endings that many street names share and that therefore say nothing about which street it is:
 * the adjective endings of Russian and Ukrainian street names with the suffixes that make them
 * (-ская, -овая, -ная; -ська, -ова, -на: "Ростовская" and "Покровская" share six letters of ten),
 * and the case endings and family-name suffixes of Greek names in the genitive, as streets carry
 * them (-οπούλου, -ίδη, -άκη, -άτου, -ίου, -ου: "Λιακοπούλου" and "Ηλιοπούλου"). Folded as words
 * are (text-folding.ts); the longest first, so that the longest shared ending is the one removed.
 */
const SHARED_ENDINGS: readonly string[] = [
  // Russian: derivational suffix and ending of an adjective, then the bare endings.
  ...['ская', 'цкая', 'овая', 'евая', 'ёвая', 'иная', 'ная', 'ая', 'яя', 'ый', 'ий', 'ой', 'ое', 'ее', 'ые', 'ие'],
  // Ukrainian.
  ...['ська', 'цька', 'ова', 'ева', 'єва', 'ина', 'на', 'ій', 'і'],
  // Greek family names in the genitive (and nominative), then the case endings.
  ...['όπουλου', 'όπουλος', 'ιάδη', 'ιάδης', 'ίδη', 'ίδης', 'άκη', 'άκης', 'άκου', 'άκος', 'άτου', 'άτος'],
  ...['όγλου', 'ίου', 'αίου', 'ου', 'ης', 'ος', 'ας', 'η', 'α'],
]
  .map((ending) => foldText(ending))
  .sort((a, b) => b.length - a.length);

const ENDING_SCRIPT = /^[\p{sc=Cyrillic}\p{sc=Greek}]+$/u;

/** Typos a word typed again may carry (Damerau 1964: most misspellings are one or two edits). */
export const TYPOS_IN_A_WORD = 2;

/**
 * Two Cyrillic or Greek words alike only through the ending they share: without it, what names the
 * street is not alike by the spelling threshold and cannot be one stem typed again ("поперечн" /
 * "дорожн", "ростов" / "покров", "λιακ" / "ηλι"). Two typos in the rest (one in a stem of three
 * letters: typosInStem), the first letter right, are still a retyping ("Мсотвая" for "Мостовая", "Болиьчная" for "Больничная": typoDistance): on
 * the tuning seeds, a stem of four to six letters carried two typos more often than it named
 * another street. With another first letter they are another name ("Мостовая" / "Сосновая"):
 * typists seldom get it wrong (two-typos.ts).
 */
export function alikeOnlyByEnding(a: string, b: string): boolean {
  const stems = stemsWithoutSharedEnding(a, b);
  if (stems === null) return false;
  if (stems[0][0] === stems[1][0] && typoDistance(...stems) <= typosInStem(stems)) return false;
  const spelled = (word: string) => ({ plain: word, folded: word });
  return !spellingAlike(editSimilarity(...stems), longest(spelled(stems[0]), spelled(stems[1])));
}

/**
 * Typos a stem may carry: two, but one in a stem of three letters or fewer, where two typos leave a
 * single letter standing ("Курская" / "Камская", "Полевая" / "Путевая" are two streets), as two
 * short Latin words two edits apart are two names ("Hang" / "Hain": two-typos.ts). Thirteenth round.
 */
function typosInStem([a, b]: readonly [string, string]): number {
  return Math.max(a.length, b.length) <= SHORT_STEM ? 1 : TYPOS_IN_A_WORD;
}

const SHORT_STEM = 3;

/** Two words without the longest listed ending they share, or null when they share none. */
export function stemsWithoutSharedEnding(a: string, b: string): [string, string] | null {
  if (!ENDING_SCRIPT.test(a) || !ENDING_SCRIPT.test(b)) return null;
  const ending = SHARED_ENDINGS.find(
    (candidate) =>
      a.endsWith(candidate) && b.endsWith(candidate) && a.length > candidate.length && b.length > candidate.length,
  );
  return ending === undefined ? null : [a.slice(0, -ending.length), b.slice(0, -ending.length)];
}
