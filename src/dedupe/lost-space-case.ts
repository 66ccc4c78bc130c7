import { unitDesignator, vocabularyEntry } from './address-vocabulary';
import { designatorOf, resolveWord } from './address-words';
import { ordinalWord } from './number-words';
import { foldText } from './text-folding';

/** Split from street-parts.ts, which had grown over 300 lines. */

/**
 * Where case shows a lost space ("OakRd", "BeechTce", "AptC", "BâtD", "MillLane"): a lower-case
 * letter pair then a capital. Not when the capital is a typo inside a word: a lone capital at the
 * end ("LescL", "WelW", "ApartmenA": read apart, "WelW" would say West) unless a unit word comes
 * before it, and not when the whole is an address word with a typo ("ΠλατΠία", "EighEh", "FirFst").
 */
export function splitAtCase(token: string): string {
  const pieces = token.split(/(?<=\p{Ll}{2})(?=\p{Lu})/u);
  if (pieces.length === 1) return token;
  let joined = pieces[0];
  for (const piece of pieces.slice(1)) {
    const left = foldText(/\p{L}+$/u.exec(joined)?.[0] ?? '');
    const right = foldText(/^\p{L}+/u.exec(piece)?.[0] ?? '');
    const loneLetter = right.length === 1 && !unitDesignator(left);
    joined += loneLetter || isMistypedAddressWord(left + right) ? piece : ` ${piece}`;
  }
  return joined;
}

/** A street type, unit word or ordinal typed with one typo ("πλατπια", "eigheh", "firfst"). */
function isMistypedAddressWord(word: string): boolean {
  return (
    vocabularyEntry(word) === undefined &&
    (resolveWord(word).kind !== 'name' || ordinalWord(word) !== null || designatorOf(word) !== undefined)
  );
}
