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

/** The digits a folded word spells ("fifth" → "5"), or null. */
export function numberWord(word: string): string | null {
  return DIGITS_OF.get(word) ?? null;
}
