// How street-parts.ts reads a segment of street lines into tokens, before it gives numbers their
// roles (split from it, which had grown over 300 lines).
import { unitDesignator, vocabularyEntry } from './address-vocabulary';
import { resolveWord } from './address-words';
import { doorSide, dutchGroundFloor, romanNumeralsAsDigits, withSidesAsOneWord } from './door-sides';
import { withoutApostrophes } from './elided-direction';
import { spacedAfterAbbreviatedType } from './hebrew-abbreviated-type';
import { kanjiNumeralsAsDigits } from './kanji-numerals';
import { lettersOfUnits } from './lettered-units';
import { splitAtCase } from './lost-space-case';
import { withRoleWords } from './numbered-roles';
import {
  frenchOrdinalE,
  joinCompoundNumbers,
  numberWord,
  ordinalEnding,
  ordinalEndingsDropped,
  ordinalWord,
} from './number-words';
import { datesWithDayDigits } from './street-dates';
import { foldText, WORD_SEPARATOR } from './text-folding';
import { countryWord, withPostOfficeBox, withSingaporeUnits } from './postal-forms';
import { withUnitWords } from './unit-marks';
import { deliveryRoutesAbbreviated } from './delivery-routes';

/** French house-number suffixes, written apart or not: "12 bis" is "12bis". */
export const LATIN_SUFFIXES: ReadonlySet<string> = new Set(['bis', 'ter', 'quater']);

/** A number written as an ordinal: its digits and its ending ("776", "th"). */
export interface OrdinalNumber {
  digits: string;
  ending: string;
}

const ASCII = /^[ -~]*$/;

/** A letter glued to a number, with a full stop and a word after it: "2R. de la Huchette". */
const TYPE_LETTER_AFTER_NUMBER = /(\d)(\p{L})\.(?=\s*\p{L})/gu;

/**
 * "2R. de la Huchette" is "2 R. de la Huchette": a letter abbreviating a street type (`r.` for rue,
 * `c.` for calle) with its full stop is the type, not the house's letter ("12B. rue …" keeps its B).
 */
function typeLetterApart(glued: string, digit: string, letter: string): string {
  return vocabularyEntry(foldText(letter))?.kind === 'type' ? `${digit} ${letter}.` : glued;
}

/** "P.zza" → "Pzza" when that is a street type of the vocabulary; else as written. */
function contractedType(written: string, initial: string, rest: string): string {
  return vocabularyEntry(foldText(initial + rest))?.kind === 'type' ? initial + rest : written;
}

/**
 * The tokens of one comma-separated segment of street lines, folded: numbers, number words and
 * ordinals as digits, the words a lost space glued apart (splitMixedToken), dates' days as digits.
 * Numbers with an English ordinal ending are noted in `ordinals`.
 */
export function tokensOf(segment: string, country: string, ordinals: OrdinalNumber[]): string[] {
  const written = withRoleWords(romanNumeralsAsDigits(withSidesAsOneWord(segment, country), country), country);
  const prepared = withUnitWords(
    withSingaporeUnits(withPostOfficeBox(spacedAfterAbbreviatedType(lettersOfUnits(written)), country), country),
    country,
  )
    .replace(TYPE_LETTER_AFTER_NUMBER, typeLetterApart)
    // Case shows where a lost space was: "OakRd", "AptC", "BâtD", "322ASalisbury" (see splitAtCase).
    // Not after one letter: "aMnor" is "Manor" with a typo.
    .replace(/\S+/gu, splitAtCase)
    .replace(/(\d\p{Lu})(\p{Lu}\p{Ll}{2})/gu, '$1 $2')
    // "129Bo Creek": a short name glued to the number, as case shows (longer ones are split below).
    .replace(/(\d)(?!(?:St|Nd|Rd|Th)(?![\p{L}\d]))(\p{Lu}\p{Ll})(?![\p{L}\d])/gu, '$1 $2')
    // A direction's letter glued to the name: "NBridge", "SMain" ("NNinth" is a letter typed twice).
    .replace(/(?<![\p{L}\d])([NSEW])(?!\1)(\p{Lu}\p{Ll}{2,})/gu, '$1 $2')
    .replace(/(\d)\s*[º°ª]\s*-?\s*(\p{L}\b)?/gu, '$1$2 ') // "3º B", "3ºB", "3º-B": floor 3, door B
    .replace(/(\p{L})\.\s*º/gu, '$1o') // "P.º" (paseo) is "Pº"
    .replace(/\bn\s*[º°]/gi, ' no ') // "N° 12"
    // Italian types contracted around a full stop ("P.zza", "V.le", "C.so", "L.go"): one word, when
    // the vocabulary knows it so ("Pzza"); an initial before a name ("G.Rossi") stays apart.
    .replace(/(?<![\p{L}.])(\p{L})\.(\p{Ll}{2,3})(?!\p{L})/gu, contractedType);
  const numbered = kanjiNumeralsAsDigits(ordinalEndingsDropped(prepared, country), country);
  const folded = deliveryRoutesAbbreviated(withoutApostrophes(foldText(numbered)));
  // Plain ASCII has nothing for the two rules of other scripts below to do.
  const separated = ASCII.test(folded)
    ? folded
    : folded
        // Chinese and Japanese are written without spaces: a space between two of their characters says nothing ("2丁 目").
        .replace(
          /([\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])\s+(?=[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}])/gu,
          '$1',
        )
        // A number and a word of another script typed together are two tokens: "4丁目", "233号室", "12а".
        .replace(/(\d)(?=[^\P{L}a-z])/gu, '$1 ')
        .replace(/([^\P{L}a-z])(?=\d)/gu, '$1 ');
  return datesWithDayDigits(
    joinCompoundNumbers(separated.split(WORD_SEPARATOR).filter((token) => token.length > 0))
      .map((token) => numberWord(token) ?? token)
      .flatMap((token) => splitMixedToken(token, country, ordinals))
      // "270seventh": a number word freed from the number its space was lost to.
      .map((token) => numberWord(token) ?? token)
      .map((token) => doorSide(token, country) ?? dutchGroundFloor(token, country) ?? countryWord(token, country)),
  );
}

/** Polish "ul." glued to the street's name ("ulKwiatowa", "ulicaLeśna"). */
const POLISH_PREFIX = /^(ulica|ul)(?=[a-z]{4,})/;

/** A street type, spelled as in the vocabulary or a long one with one typo ("st", "avenue", "stret"). */
export function isStreetType(word: string): boolean {
  return resolveWord(word).kind === 'type';
}

/**
 * Splits what a missing space glued together: "12baker" → "12", "baker"; "baker12", "119bd" and
 * "apt4" too. Ordinals lose their ending ("2nd", "2eme" → "2"), also before a street type ("9thst",
 * "sixthst", "eighthavenue") or after a direction ("w8th", "north7th"); "221b", "4bis" and "b12"
 * stay whole. Numbers with an English ordinal ending are noted in `ordinals`.
 */
function splitMixedToken(token: string, country: string, ordinals: OrdinalNumber[]): string[] {
  // A letter of the ending typed twice changes nothing ("6thh", "2ndd").
  const ordinal = /^(\d+)(s+t+|n+d+|r+d+|t+h+|er|eme|ieme|e)$/.exec(token);
  if (ordinal && (ordinal[2] !== 'e' || frenchOrdinalE(country))) {
    const ending = ordinal[2].replace(/(.)\1+/g, '$1');
    if (ending === ordinalEnding(ordinal[1])) ordinals.push({ digits: ordinal[1], ending });
    return [ordinal[1]];
  }
  // "9thst", "15thstret": a numbered street and its type without the space.
  const ordinalThenType = /^(\d+)(st|nd|rd|th)([a-z]{2,})$/.exec(token);
  if (ordinalThenType && ordinalThenType[2] === ordinalEnding(ordinalThenType[1]) && isStreetType(ordinalThenType[3])) {
    ordinals.push({ digits: ordinalThenType[1], ending: ordinalThenType[2] });
    return [ordinalThenType[1], ordinalThenType[3]];
  }
  // "sixthst", "eighthavenue", "seventshstreet": an ordinal word (a long one with a typo) and the type.
  if (/^[a-z]{6,}$/.test(token)) {
    for (let cut = 4; cut <= token.length - 2; cut++) {
      const digits = ordinalWord(token.slice(0, cut));
      if (digits !== null && isStreetType(token.slice(cut))) return [digits, token.slice(cut)];
    }
  }
  // "w8th", "E7th": a direction's letter before a numbered street.
  const directionThenOrdinal = /^([nsew])(\d+(?:st|nd|rd|th))$/.exec(token);
  if (directionThenOrdinal)
    return [directionThenOrdinal[1], ...splitMixedToken(directionThenOrdinal[2], country, ordinals)];
  const suffixThenWord = /^(\d+)(bis|ter)([a-z]{2,})$/.exec(token);
  if (suffixThenWord && isStreetType(suffixThenWord[3]))
    return [`${suffixThenWord[1]}${suffixThenWord[2]}`, suffixThenWord[3]];
  const numberThenWord = /^(\d+)([a-z]+)$/.exec(token);
  if (numberThenWord) {
    const [, digits, letters] = numberThenWord as unknown as [string, string, string];
    // "12baker", "119bd"; and in the US, where house numbers rarely carry a letter, "207S" is 207 South.
    const word =
      (letters.length >= 3 && !LATIN_SUFFIXES.has(letters)) ||
      (letters.length === 2 && vocabularyEntry(letters)?.kind === 'type');
    if (word || (country === 'US' && vocabularyEntry(letters)?.kind === 'direction')) return [digits, letters];
  }
  const wordThenNumber = /^([a-z]+)(\d[a-z0-9]*)$/.exec(token);
  if (wordThenNumber && (wordThenNumber[1].length >= 3 || unitDesignator(wordThenNumber[1])))
    return [wordThenNumber[1], ...splitMixedToken(wordThenNumber[2], country, ordinals)];
  if (country === 'PL' && POLISH_PREFIX.test(token)) return [token.replace(POLISH_PREFIX, '')];
  return [token];
}
