import { withinOneEdit } from './string-similarity';

/**
 * Numbers written as words, read as their digits, so that "Fifth Avenue" and "5th Avenue", or
 * "Flat Two" and "Flat 2", agree: ordinals and cardinals to twenty in English, ordinals to ten in
 * French (as written after folding: "cinquième" → "cinquieme").
 */
const WORDS: readonly (readonly string[])[] = [
  ['one', 'first', 'premier', 'premiere', 'unieme'],
  ['two', 'second', 'deuxieme', 'seconde'],
  ['three', 'third', 'troisieme'],
  ['four', 'fourth', 'quatrieme'],
  ['five', 'fifth', 'cinquieme'],
  ['six', 'sixth', 'sixieme'],
  ['seven', 'seventh', 'septieme'],
  ['eight', 'eighth', 'huitieme'],
  ['nine', 'ninth', 'neuvieme'],
  ['ten', 'tenth', 'dixieme'],
  ['eleven', 'eleventh'],
  ['twelve', 'twelfth'],
  ['thirteen', 'thirteenth'],
  ['fourteen', 'fourteenth'],
  ['fifteen', 'fifteenth'],
  ['sixteen', 'sixteenth'],
  ['seventeen', 'seventeenth'],
  ['eighteen', 'eighteenth'],
  ['nineteen', 'nineteenth'],
  ['twenty', 'twentieth'],
];

const DIGITS_OF = new Map<string, string>(
  WORDS.flatMap((spellings, index) => spellings.map((word) => [word, String(index + 1)] as const)),
);

/** English ordinals of five letters or more, which one typo does not disguise as another word ("Eightgh", "Sxth"). */
const LONG_ORDINALS = [...DIGITS_OF.keys()].filter((word) => word.length >= 5 && /(th|st|nd|rd)$/.test(word));

/** The digits a folded word spells ("fifth" → "5"; with one typo, "fifht", "nint" → "9"), or null. */
export function numberWord(word: string): string | null {
  const exact = DIGITS_OF.get(word);
  if (exact !== undefined) return exact;
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return null;
  const near = LONG_ORDINALS.filter((ordinal) => withinOneEdit(ordinal, word));
  return near.length === 1 ? DIGITS_OF.get(near[0])! : null;
}
