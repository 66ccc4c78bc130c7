import {
  isFloorAfterNumber,
  isHouseNumberMarker,
  unitDesignator,
  unitSuffix,
  vocabularyEntry,
} from './address-vocabulary';
import { designatorOf, mistypedEitherSideUnit, mistypedSpelledOutUnit, resolveWord } from './address-words';
import { withoutApostrophes } from './elided-direction';
import { spacedAfterAbbreviatedType } from './hebrew-abbreviated-type';
import { datesWithDayDigits } from './street-dates';
import { kanjiNumeralsAsDigits } from './kanji-numerals';
import { splitAtCase } from './lost-space-case';
import {
  frenchOrdinalE,
  joinCompoundNumbers,
  numberWord,
  ordinalEnding,
  ordinalEndingsDropped,
  ordinalWord,
} from './number-words';
import { withUnitWords } from './unit-marks';
import { foldText, isDenseScript, isLatinLetter, WORD_SEPARATOR } from './text-folding';

/** French house-number suffixes, written apart or not: "12 bis" is "12bis". */
const LATIN_SUFFIXES: ReadonlySet<string> = new Set(['bis', 'ter', 'quater']);

/** Number atoms in their roles, and the street's words. */
export interface StreetParts {
  /** House numbers and their letters ("221", "b"), and any number no unit word names. */
  numbers: string[];
  /** Flat, floor, room and building numbers: those a unit word names ("Apt 4", "кв. 12", "233号室"). */
  units: string[];
  /**
   * The unit word that named each atom of `units`, as folded ("apt", "кв", "동", "호"; '' for a flat
   * alone in its segment), in the same order: "101동 202호" is not "202동 101호" (address-comparison.ts).
   */
  unitKinds: string[];
  words: string[];
  /**
   * Numbers written with an English ordinal ending ("776th", "1262nd"): a lost space may have glued
   * the house number to a numbered street ("77 6th Avenue"); address-profile.ts reads them both ways.
   */
  ordinals: OrdinalNumber[];
}

/** A number written as an ordinal: its digits and its ending ("776", "th"). */
export interface OrdinalNumber {
  digits: string;
  ending: string;
}

/** Where the reading of the segments stands: whether the last token was a number, and in which role. */
interface ReadingState {
  afterNumber: boolean;
  role: 'numbers' | 'units';
  /** Where the last number's atoms start in their role's list (a unit word after it moves them). */
  lastNumberStart: number;
}

/**
 * Splits street lines into number atoms, by role, and words. A number is compared as its digit
 * and letter runs ("221B", "221 B" and "221b" agree; "3º B" and "piso 3 puerta B" too). A number
 * that a unit word names ("Apt 4", "Flat B", "кв. 12", "233号室", "736호") is a unit's; every other
 * is the house's, wherever it stands: a flat moved between line1 and line2 changes nothing, and
 * "flat 12 at no. 4" is not "flat 4 at no. 12" (address-comparison.ts compares the roles). Unit
 * words are dropped, and so are words that only say "house number" (дом, 丁目, 番). A number alone
 * in its segment is the flat when another segment has the house number. The letter after
 * a unit word or a house number belongs to that number. A unit word reaches no further than its
 * comma: in "Apt C, 220 Oxford Gr." 220 is the house.
 */
export function streetParts(lines: readonly string[], country = ''): StreetParts {
  const parts: StreetParts = { numbers: [], units: [], unitKinds: [], words: [], ordinals: [] };
  const state: ReadingState = { afterNumber: false, role: 'numbers', lastNumberStart: 0 };
  // A number alone between commas or on its own line ("12 Main St" + "4"): the flat, when another
  // segment has the house number; else the house number ("Main Street, 12").
  const alone = new Set<number>();
  for (const segment of lines.join(',').split(/[,;\n]/)) {
    const tokens = tokensOf(segment, country, parts.ordinals);
    const start = parts.numbers.length;
    readSegment(tokens, parts, state);
    if (tokens.length === 1 && /\d/.test(tokens[0]))
      for (let index = start; index < parts.numbers.length; index++) alone.add(index);
    // A line or segment of symbols alone ("🏠", "★") beside words: a word as written, never nothing.
    const symbols = tokens.length === 0 ? symbolsOf(segment) : '';
    if (symbols !== '') parts.words.push(symbols);
  }
  const housed = parts.numbers.some((atom, index) => !alone.has(index) && /\d/.test(atom));
  if (alone.size > 0 && housed) {
    const flats = parts.numbers.filter((_atom, index) => alone.has(index));
    parts.units.push(...flats);
    parts.unitKinds.push(...flats.map(() => ''));
    parts.numbers = parts.numbers.filter((_atom, index) => !alone.has(index));
  }
  // No word in any script but symbols ("★", "☎"): those are the words as written, never nothing
  // (an empty street would equal every other empty one).
  if (parts.words.length === 0) {
    const symbols = symbolsOf(lines.join(''));
    if (symbols !== '') parts.words.push(symbols);
  }
  return parts;
}

/** The symbols of a text, in order; joiners and variation selectors, which only draw them, left out. */
function symbolsOf(text: string): string {
  return text.normalize('NFKC').replace(/[^\p{S}]/gu, '');
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

function tokensOf(segment: string, country: string, ordinals: OrdinalNumber[]): string[] {
  const prepared = withUnitWords(spacedAfterAbbreviatedType(segment), country)
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
    .replace(/\bn\s*[º°]/gi, ' no '); // "N° 12"
  const numbered = kanjiNumeralsAsDigits(ordinalEndingsDropped(prepared, country), country);
  const folded = withoutApostrophes(foldText(numbered));
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
      .map((token) => numberWord(token) ?? token),
  );
}

/** Adds a number's atoms in the role it has (a unit's with the word that named it); the next unit suffix may still move them. */
function pushNumber(
  parts: StreetParts,
  state: ReadingState,
  atoms: string[],
  role: ReadingState['role'],
  unitWord = '',
): void {
  state.role = role;
  state.lastNumberStart = parts[role].length;
  parts[role].push(...atoms);
  if (role === 'units') parts.unitKinds.push(...atoms.map(() => unitWord));
}

/** Reads one comma-separated segment; the state carries over ("81, A Featherstone Pl."). */
function readSegment(tokens: readonly string[], parts: StreetParts, state: ReadingState): void {
  const { words, units } = parts;
  // A letter on its own line or between commas is a flat ("line2": "B"), whatever else it could spell.
  if (tokens.length === 1 && isLatinLetter(tokens[0])) {
    units.push(tokens[0]);
    parts.unitKinds.push('');
    state.afterNumber = false;
    return;
  }
  /** The unit word before the next number ("Apt" of "Apt 4"), once one was read. */
  let unitNamedBy: string | null = null;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const next = tokens[index + 1];
    const afterNumber = state.afterNumber;
    state.afterNumber = false;
    if (/\d/.test(token)) {
      pushNumber(parts, state, numberAtoms(token), unitNamedBy === null ? 'numbers' : 'units', unitNamedBy ?? '');
      unitNamedBy = null;
      state.afterNumber = true;
      continue;
    }
    if (isHouseNumberMarker(token)) continue;
    const suffix = unitSuffix(token);
    const numberFollows = next !== undefined && /\d/.test(next);
    // "233号室", "4 דירה": after its number; a word of either side takes the number after it when there is one ("דירה 4").
    // "8 étage", "6 OG", "4ος": a floor word right after its number makes it the floor, as "étage 8"
    // does; not one that names the street ("12 Stock Lane").
    const floorAfter = afterNumber && index > 0 && isFloorAfterNumber(token) && !(next && isStreetType(next));
    if (floorAfter || (suffix && afterNumber && !(suffix === 'either' && numberFollows))) {
      if (state.role === 'numbers')
        pushNumber(parts, state, parts.numbers.splice(state.lastNumberStart), 'units', token);
      continue;
    }
    // "דדרה 59, …", "Wonun 277, …": a segment of a unit word with a typo, or a long one with two,
    // and its number (the flat moved to line 1).
    const mistyped =
      tokens.length === 2 &&
      index === 0 &&
      numberFollows &&
      (mistypedEitherSideUnit(token) || mistypedSpelledOutUnit(token));
    const exact = unitDesignator(token) ?? (suffix === 'either' || mistyped ? { always: false } : undefined);
    if (next !== undefined && isIdentifier(next)) {
      // A designator, also with a typo ("Aptt 27", "Set 820"), before its flat: "Flat B" takes the letter.
      if (exact ?? designatorOf(token)) {
        if (/\d/.test(next)) unitNamedBy = token;
        else {
          pushNumber(parts, state, [next], 'units', token);
          index += 1;
        }
        continue;
      }
    }
    // After its number ("1. Obergeschoss", "5. Stoc") or anywhere when spelled right ("2nd Floor"): dropped.
    // Not when it opens the segment before a name: "Block Farm", "Block House" name a house.
    const namesHouse =
      index === 0 &&
      !afterNumber &&
      next !== undefined &&
      /^[a-z]{3,}$/.test(next) &&
      !unitDesignator(next) &&
      !vocabularyEntry(next);
    if ((exact?.always && !namesHouse) || (afterNumber && next === undefined && designatorOf(token)?.always)) continue;
    if (afterNumber && isNumberSuffix(token)) {
      parts[state.role].push(token);
      if (state.role === 'units') parts.unitKinds.push(parts.unitKinds[parts.unitKinds.length - 1] ?? '');
      continue;
    }
    // "45 bisimpasse": the house number's suffix and the next word, a street type, lost their space
    // ("161 Teresa" and "12 Terrasse" are names).
    const suffixThenWord = afterNumber ? /^(bis|ter)([a-z]{2,})$/.exec(token) : null;
    if (suffixThenWord && isStreetType(suffixThenWord[2])) {
      parts[state.role].push(suffixThenWord[1]);
      if (state.role === 'units') parts.unitKinds.push(parts.unitKinds[parts.unitKinds.length - 1] ?? '');
      words.push(suffixThenWord[2]);
      continue;
    }
    // "FLATA, 180 Richmond St": a unit word and its letter without a space, before the house number.
    const unit = token.slice(0, -1);
    if (
      index === 0 &&
      !afterNumber &&
      next === undefined &&
      token.length >= 4 &&
      !vocabularyEntry(token) &&
      unitDesignator(unit)?.always
    ) {
      pushNumber(parts, state, [token.slice(-1)], 'units', unit);
      continue;
    }
    words.push(token);
  }
}

/** A letter or Latin suffix after a house number belongs to it; a direction or a type letter does not ("12 E 5th St", "5 r. Victor Hugo"). */
function isNumberSuffix(token: string): boolean {
  return (token.length === 1 && !vocabularyEntry(token) && !isDenseScript(token)) || LATIN_SUFFIXES.has(token);
}

/** A flat or house identifier: has a digit, or is one letter ("B", "4B"); not "de" or "la". */
function isIdentifier(token: string): boolean {
  return /\d/.test(token) || (token.length === 1 && !isDenseScript(token));
}

/** "221b" → "221", "b"; "007" → "7"; a unit word glued to a number is dropped ("32m" → "32"). */
function numberAtoms(token: string): string[] {
  return (token.match(/\d+|[a-z]+/g) ?? [])
    .filter((atom) => /\d/.test(atom) || !unitDesignator(atom))
    .map((atom) => atom.replace(/^0+(?=\d)/, ''));
}

/** Polish "ul." glued to the street's name ("ulKwiatowa", "ulicaLeśna"). */
const POLISH_PREFIX = /^(ulica|ul)(?=[a-z]{4,})/;

/** A street type, spelled as in the vocabulary or a long one with one typo ("st", "avenue", "stret"). */
function isStreetType(word: string): boolean {
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
