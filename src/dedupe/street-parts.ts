import {
  isFloorAfterNumber,
  isHouseNumberMarker,
  unitDesignator,
  unitRole,
  unitSuffix,
  vocabularyEntry,
} from './address-vocabulary';
import { designatorOf, mistypedEitherSideUnit, mistypedSpelledOutUnit } from './address-words';
import { isDoorSide } from './door-sides';
import { isStreetType, LATIN_SUFFIXES, tokensOf } from './street-tokens';
import type { OrdinalNumber } from './street-tokens';
import { isDenseScript, isLatinLetter } from './text-folding';

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
   * The words of each line or comma-separated part, in order (`words` is them all): a street type
   * closes the part that names the street, not the line 2 locality after it (address-comparison.ts).
   */
  segments: string[][];
  /**
   * Numbers written with an English ordinal ending ("776th", "1262nd"): a lost space may have glued
   * the house number to a numbered street ("77 6th Avenue"); address-profile.ts reads them both ways.
   */
  ordinals: OrdinalNumber[];
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
  const parts: StreetParts = { numbers: [], units: [], unitKinds: [], words: [], segments: [], ordinals: [] };
  const state: ReadingState = { afterNumber: false, role: 'numbers', lastNumberStart: 0 };
  // A number alone between commas or on its own line ("12 Main St" + "4"): the flat, when another
  // segment has the house number; else the house number ("Main Street, 12").
  const alone = new Set<number>();
  /** Where the first number alone in its segment starts, and where it ends. */
  let firstAlone: [number, number] | null = null;
  for (const segment of lines.join(',').split(/[,;\n]/)) {
    const tokens = tokensOf(segment, country, parts.ordinals);
    const start = parts.numbers.length;
    const firstWord = parts.words.length;
    readSegment(tokens, parts, state);
    parts.segments.push(parts.words.slice(firstWord));
    if (tokens.length === 1 && /\d/.test(tokens[0])) {
      for (let index = start; index < parts.numbers.length; index++) alone.add(index);
      firstAlone ??= [start, parts.numbers.length];
    }
    // A line or segment of symbols alone ("🏠", "★") beside words: a word as written, never nothing.
    const symbols = tokens.length === 0 ? symbolsOf(segment) : '';
    if (symbols !== '') parts.words.push(symbols);
  }
  // No other segment has the house number, and several numbers stand alone ("C/ Alcalá, 45, 3ºB"):
  // the first is the house's, the others flats, as where the street holds its number.
  if (firstAlone !== null && !parts.numbers.some((atom, index) => !alone.has(index) && /\d/.test(atom))) {
    const [from, to] = firstAlone;
    const others = [...alone].some((index) => index < from || index >= to);
    if (others) for (let index = from; index < to; index++) alone.delete(index);
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
  if (role === 'units') parts.unitKinds.push(...atoms.map(() => unitRole(unitWord)));
}

/** Reads one comma-separated segment; the state carries over ("81, A Featherstone Pl."). */
function readSegment(written: readonly string[], parts: StreetParts, state: ReadingState): void {
  const { words, units } = parts;
  const tokens = withoutMarkerAfterUnitWord(written);
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
    // A door's side ("2º Esq.", "2. th.", "int. sx") is the house's, wherever it stands (door-sides.ts).
    if (isDoorSide(token)) {
      parts.numbers.push(token);
      continue;
    }
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

/**
 * "شقة رقم 4" is "شقة 4" (flat number 4), "Apt No. 4" is "Apt 4": a word that says "number" between a
 * unit word and its number is dropped, so that the unit word names the number. Found from outside
 * (2026-12-05): the flat was read as a house number.
 */
function withoutMarkerAfterUnitWord(tokens: readonly string[]): readonly string[] {
  const unitWord = (token: string | undefined) =>
    token !== undefined && (unitDesignator(token) !== undefined || unitSuffix(token) === 'either');
  return tokens.filter(
    (token, index) =>
      !(isHouseNumberMarker(token) && unitWord(tokens[index - 1]) && /\d/.test(tokens[index + 1] ?? '')),
  );
}

/** A letter or Latin suffix after a house number belongs to it; a direction or a type letter does not ("12 E 5th St", "5 r. Victor Hugo"). */
function isNumberSuffix(token: string): boolean {
  return (token.length === 1 && !vocabularyEntry(token) && !isDenseScript(token)) || LATIN_SUFFIXES.has(token);
}

/** A flat or house identifier: has a digit, or is one letter ("B", "4B") or a door's side ("esc. izda."); not "de" or "la". */
function isIdentifier(token: string): boolean {
  return /\d/.test(token) || (token.length === 1 && !isDenseScript(token)) || isDoorSide(token);
}

/** "221b" → "221", "b"; "007" → "7"; a unit word glued to a number is dropped ("32m" → "32"). */
function numberAtoms(token: string): string[] {
  return (token.match(/\d+|[a-z]+/g) ?? [])
    .filter((atom) => /\d/.test(atom) || !unitDesignator(atom))
    .map((atom) => atom.replace(/^0+(?=\d)/, ''));
}
