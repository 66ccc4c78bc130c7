// Units named by a letter: a block's or wing's letter before its flat ("B-204") and the words that
// name a building, tower, wing or staircase by its letter ("Tower B", "Scala B", "A Blok"). Found
// from outside (2026-12-05, third round): the letter was read as a word of the street, and "B-204"
// and "C-204", "Tower B" and "Tower C" were one address.

/**
 * Words that name a part of a house by its letter or number, read as unit words before it
 * (address-vocabulary.ts): a tower (Indian and Philippine condominiums), a wing (Indian housing
 * societies, "B Wing"), an Italian staircase (scala, "sc."), a Turkish block (blok) and a
 * Brazilian one (bloco). "Block", "blk" and "bloc" were unit words already.
 */
export const LETTERED_UNIT_WORDS: readonly string[] = ['tower', 'wing', 'scala', 'sc', 'blok', 'bloco'];

/** Unit words written after their letter: "A Blok" (Turkey), "B Wing" (India), "C Block". */
const LETTER_BEFORE_UNIT_WORD =
  /(?<![\p{L}\p{N}])(\p{Lu})\s+([Bb]lok|[Bb]lk|[Bb]lock|[Ww]ing|BLOK|BLK|BLOCK|WING)(?![\p{L}\p{N}])/gu;

/** A lone letter, a hyphen and a number: a block's letter and its flat ("B-204", "A-12 Elm Street"). */
const LETTER_HYPHEN_NUMBER = /(?<![\p{L}\p{N}'’-])(\p{L})-(?=\p{N})/gu;

/**
 * "B-204" as "B204", one number with its letter, as written without the hyphen (so "B-204" is not
 * "C-204" nor "204"); "A Blok" as "Blok A", the unit word before its letter.
 */
export function lettersOfUnits(segment: string): string {
  return segment.replace(LETTER_HYPHEN_NUMBER, '$1').replace(LETTER_BEFORE_UNIT_WORD, '$2 $1');
}
