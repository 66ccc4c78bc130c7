import type { AddressProfile } from './address-profile';
import { withoutCommonWords } from './street-words';
import { typoDistance } from './string-similarity';
import { TYPOS_IN_A_WORD } from './word-endings';

/**
 * Two cities that share words but differ in one no typo explains: "Isabel de Nossa Senhora" /
 * "Saraiva de Nossa Senhora", "Արևելյան Գասպարյան" / "Արևելյան Դավթյան" (East Gasparyan / East
 * Davtyan). Their whole spellings are alike through the words they share (three letters in ten may
 * differ), yet the word that differs names another place. The words left over once the shared ones
 * are paired must be one word typed again: two typos at most (TYPOS_IN_A_WORD: a letter dropped,
 * doubled, swapped or mistyped), one by one or run together (a space lost or added). Read as
 * written and with abbreviations resolved ("Nord" / "N."), another place only when both readings
 * say so. A word on one side only ("Nossa Senhora" / "Isabel de Nossa Senhora") is left to the
 * spelling, as is a city of one word.
 */
export function otherCityWord(a: AddressProfile, b: AddressProfile): boolean {
  return (
    otherWordLeftOver(a.cityWords.written, b.cityWords.written) &&
    otherWordLeftOver(a.cityWords.resolved, b.cityWords.resolved)
  );
}

function otherWordLeftOver(a: readonly string[], b: readonly string[]): boolean {
  if (a.length < 2 || b.length < 2) return false;
  const [left, right] = withoutCommonWords(a, b);
  if (left.length === 0 || right.length === 0 || left.length === a.length) return false;
  const typedAgain = (x: string, y: string) => typoDistance(x, y) <= TYPOS_IN_A_WORD;
  return !typedAgain(left.join(''), right.join('')) && !left.some((x) => right.some((y) => typedAgain(x, y)));
}
