import { directionSpellings, isNoiseWord, vocabularyEntry } from './address-vocabulary';
import {
  memoised,
  misspelledLongWord,
  resolveWord,
  splitCompound,
  splitGermanStreet,
  splitPrefixType,
  typedFor,
} from './address-words';
import type { ResolvedWord } from './address-words';
import { ordinalEnding, ordinalWord } from './number-words';
import { streetParts } from './street-parts';
import type { OrdinalNumber } from './street-tokens';
import { countryStreetWord, gluesStreetTypes, splitGluedType } from './glued-street-types';
import { asciiDigits, foldDigraphs, foldedWords } from './text-folding';
import type { ShippingAddress } from './shipping-address';

export type { AddressProfile, Spelling } from './address-profile.type';
import type { AddressProfile, Spelling } from './address-profile.type';
import { cityAbbreviationExpanded } from './city-abbreviations';
import { withoutOwnCity } from './city-in-line';
import { withoutKoreanCityKind } from './korean-city-kind';

const profiles = new WeakMap<ShippingAddress, AddressProfile>();

/**
 * Profiles by the text they are built from (the name is not part of it), for the last 64
 * addresses. Each order reaches the matcher as a new object, and a double submit's two addresses
 * are usually the same text: one profile is built instead of two. Building one is most of a
 * comparison and, in a server that runs it once per candidate create, cold: a pair of equal
 * addresses took 330 µs at p50 in `npm run bench:risk`'s servers, 126 µs with this memo. Kept
 * small: profiles held longer outlive V8's young generation and cost more to collect.
 */
const profileOfText = memoised((text: string) => {
  const [line1, line2, city, postalCode, country] = JSON.parse(text) as string[];
  return buildProfile({ line1, line2, city, postalCode, country });
}, 64);

/** The profile of an address, computed once per address object and shared by addresses of equal text. */
export function addressProfile(address: ShippingAddress): AddressProfile {
  let profile = profiles.get(address);
  if (!profile) {
    const { line1, line2, city, postalCode, country } = address;
    profile = profileOfText(JSON.stringify([line1, line2 ?? '', city, postalCode ?? '', country]));
    profiles.set(address, profile);
  }
  return profile;
}

/**
 * A postal code without case, spaces or punctuation: "sw1a 1aa", "SW1A-1AA" and "SW1A1AA" agree;
 * in ASCII digits whatever digits it was typed with ("１０１１５", "११०००१"). Other letters stay as
 * written: a postcode that holds something is never read as none, which would agree with any.
 */
export function normalizePostalCode(postalCode: string | null | undefined): string {
  const text = asciiDigits((postalCode ?? '').normalize('NFKC')).toUpperCase();
  const latin = text.replace(/[^A-Z0-9]/g, '');
  return latin !== '' ? latin : text.replace(/[^\p{L}\p{N}]/gu, '');
}

function spelling(words: readonly string[]): Spelling {
  const plain = words.join('');
  return { plain, folded: foldDigraphs(plain) };
}

function directionsAndWords(street: readonly StreetWord[], written: readonly string[]) {
  const { directions, words } = directionsOf(street, written);
  return { directions, directionWords: words };
}

function buildProfile(address: ShippingAddress): AddressProfile {
  const country = address.country.trim().toUpperCase();
  const line1 = withoutOwnCity(address.line1, address.city, country);
  const { numbers, units, unitKinds, words, segments, ordinals } = streetParts([line1, address.line2 ?? ''], country);
  const kept = (word: string) => !isNoiseWord(word) && !isNoiseWord(misspelledLongWord(word) ?? '');
  const written = words.filter(kept);
  const { street, unsplit } = resolveStreetWords(written, country);
  const city = foldedWords(cityAbbreviationExpanded(address.city, country));
  const cityWords = withoutKoreanCityKind(
    city.map((word) => resolveWord(word).text),
    country,
  );
  return {
    numbers: [...numbers].sort().join(' '),
    units: [...units].sort().join(' '),
    unitKinds: [...unitKinds].sort().join(' '),
    unitsByKind: units
      .map((atom, index) => `${unitKinds[index]}:${atom}`)
      .sort()
      .join(' '),
    allNumbers: [...numbers, ...units].sort().join(' '),
    orderedNumbers: numbers.join(' '),
    houseNumbered: numbersBesideStreet([...numbers, ...units], [line1, address.line2 ?? '']),
    gluedReadings: gluedReadings(numbers, units, ordinals),
    ...directionsAndWords(street, written),
    nameWords: street.filter((word) => word.kind === 'name').map((word) => word.text),
    unsplitNameWords: unsplit ? unsplit.filter((word) => word.kind === 'name').map((word) => word.text) : null,
    street: spelling(street.map((word) => word.text)),
    streetAsWritten: spelling(written),
    streetAsWrittenWords: written,
    openingWord: words[0] ?? '',
    streetSegments: segments.map((segment) => segment.filter(kept)).filter((segment) => segment.length > 0),
    streetNames: [...nameReadings(street), ...(unsplit ? nameReadings(unsplit) : [])].map(spelling),
    streetTypes: streetTypes(street),
    misspelledTypes: misspelledTypes(written),
    city: spelling(cityWords),
    cityWords: { written: city, resolved: cityWords },
    cityAsWritten: spelling(city),
    postalCode: normalizePostalCode(address.postalCode),
    country: country === 'UK' ? 'GB' : country,
  };
}

/**
 * "776th Avenue" with no other house number: a lost space may have glued house number 77 to 6th
 * Avenue. Each cut of the digits whose tail takes the ending written is another reading ("776th":
 * 77 and 6th, 7 and 76th; "776nd" has none). Only when that number is the address's one house
 * number: "12 776th Avenue" has its house number already.
 */
function gluedReadings(
  numbers: readonly string[],
  units: readonly string[],
  ordinals: readonly OrdinalNumber[],
): { numbers: string; allNumbers: string }[] {
  const house = numbers.filter((atom) => /\d/.test(atom));
  if (house.length !== 1) return [];
  const glued = ordinals.find((ordinal) => ordinal.digits === house[0] && ordinal.digits.length >= 2);
  if (!glued) return [];
  const others = numbers.filter((atom) => atom !== glued.digits);
  const readings: { numbers: string; allNumbers: string }[] = [];
  for (let cut = 1; cut < glued.digits.length; cut++) {
    const street = glued.digits.slice(cut);
    if (street.startsWith('0') || ordinalEnding(street) !== glued.ending) continue;
    const read = [...others, glued.digits.slice(0, cut), street];
    readings.push({ numbers: [...read].sort().join(' '), allNumbers: [...read, ...units].sort().join(' ') });
  }
  return readings;
}

/**
 * Whether the address has a number other than its street's own: an ordinal ("Eighth Avenue", "5th
 * St") names the street, not the house on it, so "Franey Lodge, Eighth Avenue" is numbered only by
 * the words of its house name. Each ordinal sets one number aside.
 */
function numbersBesideStreet(atoms: readonly string[], lines: readonly string[]): boolean {
  const rest = [...atoms];
  for (const word of foldedWords(lines.join(' '))) {
    const digits = ordinalWord(word) ?? /^(\d+)(?:st|nd|rd|th)$/.exec(word)?.[1];
    const at = digits === undefined || digits === null ? -1 : rest.indexOf(digits);
    if (at >= 0) rest.splice(at, 1);
  }
  return rest.length > 0;
}

/** The words that resolve to a street type only through a typo (misspelledLongWord), with the type. */
function misspelledTypes(written: readonly string[]): { word: string; type: string }[] {
  return written
    .filter((word) => !vocabularyEntry(word) && resolveWord(word).kind === 'type')
    .map((word) => ({ word, type: resolveWord(word).text }));
}

export const GERMAN_SPEAKING: ReadonlySet<string> = new Set(['DE', 'AT', 'CH', 'LI']);

/** A street word resolved; `weak` types do not tell two streets apart (see streetTypes). */
interface StreetWord extends ResolvedWord {
  weak: boolean;
}

/**
 * The street words resolved. When none is a type, the last may carry one ("Hauptstraße",
 * "Marktpl.", "BeechTce", "OakRd"; in Dutch and Nordic countries "Ellevej", "Vestergade":
 * glued-street-types.ts): it is split, and the words as they were are kept as another
 * reading ("Harvard" is not "Harva Rd"). Only then, so that "Cambridge Road" keeps its name whole.
 * In the scripts that write the type first, the first word may carry one the same way ("πλατείακαλάρη").
 * A one-letter type ("r." for rue, "C/" for calle) is weak: a typo makes one easily ("Pl" → "P").
 */
function resolveStreetWords(
  words: readonly string[],
  country: string,
): { street: StreetWord[]; unsplit: StreetWord[] | null } {
  const street = words.map((word) => ({
    ...(countryStreetWord(country, word) ?? resolveWord(word)),
    weak: word.length < 2,
  }));
  if (street.length === 0 || street.some((word) => word.kind === 'type')) return { street, unsplit: null };
  // "πλατείακαλάρη": the type before the name, its space lost.
  const prefixed = splitPrefixType(words[0]);
  if (prefixed) {
    const parts: StreetWord[] = [
      { text: prefixed.type, kind: 'type', weak: false },
      { ...resolveWord(prefixed.stem), weak: false },
    ];
    return { street: [...parts, ...street.slice(1)], unsplit: street };
  }
  const last = words.at(-1)!;
  const split =
    (gluesStreetTypes(country) ? splitGluedType(`${country} ${last}`) : null) ??
    splitCompound(last) ??
    (GERMAN_SPEAKING.has(country) ? splitGermanStreet(last) : null);
  if (!split) return { street, unsplit: null };
  const parts: StreetWord[] = [
    { text: split.stem, kind: 'name', weak: false },
    { text: split.type, kind: 'type', weak: !split.strong },
  ];
  return { street: [...street.slice(0, -1), ...parts], unsplit: street };
}

/** The street's types that tell it apart; when every word is a type ("Crossing Point") only the last is one. */
function streetTypes(words: readonly StreetWord[]): Set<string> {
  const types = words.filter((word) => word.kind === 'type');
  const named = words.some((word) => word.kind === 'name');
  return new Set((named ? types : types.slice(-1)).filter((word) => !word.weak).map((word) => word.text));
}

/**
 * Readings of the street's name, types and directions left out: the whole name, and without a
 * short word (five letters or fewer) at either end when three letters or more remain — a mangled
 * type or prefix ("Maple De", "uk. Długa"). When every word is a type ("Station Terrace",
 * "Crossing Point"), the last is the type and the others the name.
 */
function nameReadings(words: readonly StreetWord[]): string[][] {
  let names = words.filter((word) => word.kind === 'name').map((word) => word.text);
  const types = words.filter((word) => word.kind === 'type');
  if (names.length === 0 && types.length > 1) names = types.slice(0, -1).map((word) => word.text);
  if (names.length === 0) return [];
  const length = (list: string[]) => list.reduce((sum, word) => sum + word.length, 0);
  const readings = [names];
  if (names.length > 1 && names[0].length <= 5 && length(names.slice(1)) >= 3) readings.push(names.slice(1));
  const last = names.at(-1)!;
  if (names.length > 1 && last.length <= 5 && length(names.slice(0, -1)) >= 3 && !TYPE_BEFORE_NAME.test(last))
    readings.push(names.slice(0, -1));
  return readings;
}

/**
 * Arabic and Hebrew write the kind of street before its name ("رصيف غسان", "רחוב הרצל"): a short
 * last word is the name, not a type mangled after it, and the street without it is its type alone,
 * one the vocabulary may not know ("رصيف", a quay), which would then be compared with the other
 * side's name ("رصيف غسان" / "سبيل رائف": "رصيف" and "رايف" one letter apart). Their first word
 * may still be left out (a type typed too badly to read: "ريصف").
 */
const TYPE_BEFORE_NAME = /[\p{sc=Arabic}\p{sc=Hebrew}]/u;

/** Direction spellings of four letters or more, in every script, which a typo or a lost space does not hide ("Nrod", "NORDHERMANN"). */
const LONG_DIRECTIONS: readonly [string, string][] = ['north', 'south', 'east', 'west'].flatMap((canonical) =>
  directionSpellings(canonical)
    .filter((spelling) => spelling.length >= 4)
    .map((spelling): [string, string] => [spelling, canonical]),
);

/**
 * The street's directions, canonical, and the words that say them: the words read as one, and a
 * name one typo from a direction of four letters or more, its first letter right (typedFor: "Nrod",
 * not "Ford"), or that starts with one and goes on for three letters or more ("Nrod Feldstr.",
 * "Nordhermann-Ehlers-Str."): read alike on both sides, they only tell "North" from "South".
 */
function directionsOf(
  street: readonly StreetWord[],
  written: readonly string[],
): { directions: Set<string>; words: string[] } {
  const said = street.filter((word) => word.kind === 'direction');
  const directions = new Set(said.map((word) => word.text));
  const words = written.filter((word) => said.length > 0 && resolveWord(word).kind === 'direction');
  for (const word of written) {
    const read = directionsInWord(word);
    if (read.length === 0) continue;
    for (const canonical of read) directions.add(canonical);
    words.push(word);
  }
  return { directions, words };
}

/** The directions a written word is one typo from, or starts with (memoised: words repeat across orders). */
const directionsInWord = memoised((word: string): string[] => {
  if (word.length < 4 || vocabularyEntry(word)) return [];
  const found: string[] = [];
  for (const [spelling, canonical] of LONG_DIRECTIONS) {
    const typed = typedFor(word, spelling);
    if (typed || (word.startsWith(spelling) && word.length >= spelling.length + 3)) found.push(canonical);
  }
  return found;
});
