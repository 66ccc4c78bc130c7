import type { Spelling } from './address-profile';
import { isDenseScript } from './text-folding';

/** When two spellings of a street, a city or a word are taken for the same (address-comparison.ts, street-words.ts). */

/**
 * Least similarity (1 − edits / length) at which two street or city spellings are taken for the
 * same: three letters in ten may be dropped, doubled, swapped or mistyped ("Bakr Stret" for
 * "Baker Street", "Lipwa" for "Lipowa"); one edit is always allowed, so that short names ("Ulm")
 * survive a typo. Lenient on purpose: what tells neighbours apart (house and flat numbers, the
 * cart, the customer) is compared exactly.
 */
export const SPELLING_THRESHOLD = 0.7;
/** The city may differ more when both postcodes are given and agree: they already place it. */
export const CITY_THRESHOLD_WITH_POSTCODE = 0.5;

/**
 * How much a Chinese, Japanese or Korean spelling must carry before one typo is forgiven: a
 * Chinese character or a Hangul syllable counts 2 (a word, or a syllable of two or three
 * letters), a kana 1 (a syllable), anything else 1; the longer spelling's weight counts. In shorter names one differing character is another name
 * (村田ハイツ, weight 7, is not 徳田ハイツ; 港大翔町, weight 8, may be typed 港翔大町).
 */
const DENSE_WEIGHT_FOR_A_TYPO = 8;

function denseWeight(text: string): number {
  let weight = 0;
  for (const character of text) weight += /[\p{sc=Han}\p{sc=Hangul}]/u.test(character) ? 2 : 1;
  return weight;
}

export interface SpellingSize {
  length: number;
  dense: boolean;
  weight: number;
}

/** The longer of two spellings, with its script: what the thresholds of spellingAlike are measured on. */
export function longest(a: Spelling, b: Spelling): SpellingSize {
  const longer = a.plain.length >= b.plain.length ? a.plain : b.plain;
  const dense = isDenseScript(a.plain) || isDenseScript(b.plain);
  return { length: longer.length, dense, weight: dense ? Math.max(denseWeight(a.plain), denseWeight(b.plain)) : 0 };
}

/**
 * At the threshold, or one edit apart in a string of three letters or more. In Chinese, Japanese
 * and Korean a character is a syllable or a word (佳奈町 and 佳奈市 are two places): one edit
 * from DENSE_WEIGHT_FOR_A_TYPO, none below.
 */
export function spellingAlike(
  value: number,
  { length, dense, weight }: SpellingSize,
  threshold = SPELLING_THRESHOLD,
): boolean {
  if (dense) return value === 1 || (weight >= DENSE_WEIGHT_FOR_A_TYPO && value >= 1 - 1 / length - 1e-9);
  return value >= threshold - 1e-9 || (length >= 3 && value >= 1 - 1 / length - 1e-9);
}
