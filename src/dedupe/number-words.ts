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

/** Ordinals as words (English and French), the forms that name a street ("Fifth", "cinquième"); not the cardinals. */
const ORDINALS: ReadonlySet<string> = new Set(WORDS.flatMap((spellings) => spellings.slice(1)));

/** The digits a folded word spells ("fifth" → "5"; with one typo, "fifht", "nint" → "9"), or null. */
export function numberWord(word: string): string | null {
  const exact = DIGITS_OF.get(word);
  if (exact !== undefined) return exact;
  return mistypedOrdinal(word);
}

/** The digits of a long English ordinal typed with one typo ("fifht", "eigheh" → 8), when it can be no other. */
function mistypedOrdinal(word: string): string | null {
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return null;
  const near = LONG_ORDINALS.filter((ordinal) => withinOneEdit(ordinal, word));
  return near.length === 1 ? DIGITS_OF.get(near[0])! : null;
}

/**
 * The digits of an ordinal written as a word ("sixth" → 6), also of a long one with one typo and
 * its first letter right ("seventsh" → 7; "benth" is no "tenth"), or null; cardinals ("four") are not.
 */
export function ordinalWord(word: string): string | null {
  if (ORDINALS.has(word)) return DIGITS_OF.get(word)!;
  const digits = mistypedOrdinal(word);
  return digits !== null && LONG_ORDINALS.some((ordinal) => ordinal[0] === word[0] && DIGITS_OF.get(ordinal) === digits)
    ? digits
    : null;
}

/** The English ordinal ending of a number: 1 → "st", 2 → "nd", 3 → "rd", 11–13 and the rest → "th". */
export function ordinalEnding(digits: string): string {
  const value = Number(digits);
  if (value % 100 >= 11 && value % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][value % 10] ?? 'th';
}
