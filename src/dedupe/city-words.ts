import type { AddressProfile } from './address-profile';
import { romanValue } from './number-words';
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

/**
 * A city that carries a number names one district of it: "Praha 4" is not "Praha 2", "Paris 15e" not
 * "Paris 16e", "Bratislava IV" not "Bratislava I", "Budapest XI." not "Budapest XII." The spellings
 * are alike (one letter in ten differs), the numbers are not: they are compared exactly, like a house
 * number, when both sides write one ("Praha" and "Praha 4" are left to the spelling, as a postcode
 * missing on one side is). A number is a word of digits, with an ordinal ending ("15e", "3rd", "1er"),
 * or a Roman numeral up to XXXIX written as a word of its own.
 */
export function otherCityNumber(a: AddressProfile, b: AddressProfile): boolean {
  const left = districtNumbers(a.cityWords.written);
  const right = districtNumbers(b.cityWords.written);
  return left !== '' && right !== '' && left !== right;
}

const ROMAN_UP_TO_39 = /^x{0,3}(ix|iv|v?i{0,3})$/;

function districtNumbers(words: readonly string[]): string {
  const numbers: number[] = [];
  for (const word of words) {
    const digits = /^(\d+)[a-z]{0,3}$/.exec(word)?.[1];
    if (digits !== undefined) numbers.push(Number(digits));
    else if (word !== '' && ROMAN_UP_TO_39.test(word)) numbers.push(romanValue(word));
  }
  return numbers.sort((x, y) => x - y).join(' ');
}
