import { editDistance, typoDistance } from './string-similarity';
import { TYPOS_IN_A_WORD } from './word-endings';

/**
 * When two words of a street, alike only by the measures that allow a word two typos, are still
 * one word typed twice (street-words.ts). Typists seldom get a word's first letter wrong (Pollock
 * and Zamora 1983, as for a misspelled street type and a recipient's given name): two typos that
 * also change the first letter make another name ("Mosel" / "Josef", "Eschen" / "Buchen", "Sand" /
 * "Wald"), not one typed again. One typo may still fall on the first letter ("Gallam" / "Hallam"):
 * the spelling threshold forgives it as before. Fifteenth round, tried and left out: a street's
 * name word whose first letter alone differs, put for one whose key does not touch it, as another
 * street ("Παππά 108" / "Λεωφ. Ζάππα 108"). On tuning seeds 1–3 at 3,000 customers a locale it took
 * Greek other streets held 5 → 3 and missed no more retypings (once a name split from a type glued
 * to it was left out: with it, uk 34 → 38, ar 63 → 65, he 88 → 89), but it reads "Цадовая" for
 * "Садовая", a typo the eleventh round forgives, as another street.
 */

/**
 * Two left-over words of five letters or more, two edits apart and their first letter right, are
 * one word with two typos ("Mkcehl" for "Michel", "Myir" for "Mayor"); shorter words two edits
 * apart are two names ("Hang" / "Hain"). Latin only: in other scripts a letter carries more
 * ("Північна" / "Південна").
 */
export function twoTyposApart(a: string, b: string): boolean {
  return LATIN.test(a + b) && a[0] === b[0] && Math.max(a.length, b.length) >= 5 && editDistance(a, b) <= 2;
}

const LATIN = /^[a-z]+$/;

/**
 * Two names split from the same street type ("Behringstr." / "Beerenstr.", "Sandstr." /
 * "Waldstr.") that cannot be one name typed again: more than two typos apart, or another first
 * letter. Written with their type, they are alike through the type alone.
 */
export function splitNamesApart(a: string, b: string): boolean {
  return a[0] !== b[0] || typoDistance(a, b) > TYPOS_IN_A_WORD;
}
