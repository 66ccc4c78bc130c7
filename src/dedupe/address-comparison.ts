import { addressProfile } from './address-profile';
import { vocabularyEntry } from './address-vocabulary';
import type { AddressProfile, Spelling } from './address-profile';
import { otherArabicStreetKind } from './arabic-street-kind';
import { withoutCareOf } from './care-of-line';
import { inSimplifiedChinese } from './chinese-variants';
import { otherCityNumber, otherCityWord } from './city-words';
import { inOneScript } from './cross-script';
import { cityKindDropped, placeKindSlip, repeatedCharacterOnly } from './dense-script-slips';
import { otherGermanOpposite } from './german-paired-words';
import { otherGermanPlaceStreet } from './german-place-name';
import { otherGreekStreetKind } from './greek-street-kind';
import { polishKindsDiffer } from './polish-street-kind';
import { withLookAlikesRead } from './look-alike-letters';
import { withLineTwoReordered } from './line-two-parts';
import { compareNames } from './person-name';
import { droppedSaint } from './saint-prefix';
import { CITY_THRESHOLD_WITH_POSTCODE, longest, SPELLING_THRESHOLD, spellingAlike } from './spelling-agreement';
import { otherDirection } from './street-directions';
import { withLeadingZeros } from './postcode-lengths';
import { unmatchedNames } from './street-words';
import { editSimilarity, withinOneEdit } from './string-similarity';
import type { ShippingAddress } from './shipping-address';

export { CITY_THRESHOLD_WITH_POSTCODE, SPELLING_THRESHOLD };

/** Why two addresses are not the same place. */
export type AddressDifference =
  'other numbers' | 'other street' | 'other city' | 'other postcode' | 'other country' | 'other recipient';

export interface AddressComparison {
  /** Whether the two can be the same delivery point for the same person. */
  alike: boolean;
  /** 0–1: how alike the parts are (1 when all agree after normalisation). */
  similarity: number;
  /** Both the same after normalisation (no typo needed). */
  identical: boolean;
  differences: AddressDifference[];
  /** What was forgiven: "street typed differently (0.91)", "postcode missing on one". */
  notes: string[];
}

type PostcodeAgreement = 'same' | 'missing' | 'partial' | 'typo' | 'different';

/**
 * Compares two shipping addresses: the numbers (house, flat, floor) and the country exactly; the
 * postcode exactly after normalisation, or with one typo, or cut short (ZIP+4), or missing on one
 * side; street and city by edit distance with abbreviations resolved and accents folded; the
 * recipient's name only to tell a parcel for someone else apart (person-name.ts). Letters that look
 * alike are read in the alphabet of their word or field (look-alike-letters.ts); a field typed in
 * Latin letters on one side and in Cyrillic or Greek on the other is read in Latin on both (cross-script.ts);
 * traditional Chinese characters are read as simplified ones (chinese-variants.ts). Lines 1 and 2
 * written the other way round on one side are the same lines: "Flat 9, Tower Court" / "5 River
 * Road" and the two swapped (found from outside, 2026-12-05: the street's words are read in order).
 * A care-of line on one side only, or naming the same receiver on both, is left out (care-of-line.ts);
 * line 2's comma-separated parts may come in any order (line-two-parts.ts).
 */
export function compareAddresses(a: ShippingAddress, b: ShippingAddress): AddressComparison {
  const comparison = compareLines(a, b);
  if (comparison.alike) return comparison;
  const reordered = withLineTwoReordered(a, b);
  const inOrder = reordered && compareLines(a, reordered);
  if (inOrder?.alike) return { ...inOrder, identical: false, notes: [...inOrder.notes, 'line 2 parts reordered'] };
  const careOfLeftOut = withoutCareOf(a, b);
  if (careOfLeftOut === null) return comparison;
  const without = compareLines(...careOfLeftOut);
  return without.alike
    ? { ...without, identical: false, notes: [...without.notes, 'care-of line left out'] }
    : comparison;
}

/** Compares the lines in order, and swapped on one side. */
function compareLines(a: ShippingAddress, b: ShippingAddress): AddressComparison {
  const comparison = compareInOrder(a, b);
  if (comparison.alike || !a.line2?.trim() || !b.line2?.trim()) return comparison;
  if (comparison.differences.some((difference) => difference !== 'other street')) return comparison;
  const swapped = compareInOrder(a, { ...b, line1: b.line2, line2: b.line1 });
  return swapped.alike
    ? { ...swapped, identical: false, notes: [...swapped.notes, 'lines 1 and 2 swapped'] }
    : comparison;
}

function compareInOrder(asWrittenA: ShippingAddress, asWrittenB: ShippingAddress): AddressComparison {
  const [a, b] = inOneScript(
    withLookAlikesRead(inSimplifiedChinese(asWrittenA)),
    withLookAlikesRead(inSimplifiedChinese(asWrittenB)),
  );
  const left = addressProfile(a);
  const right = addressProfile(b);
  const differences: AddressDifference[] = [];
  const notes: string[] = [];
  if (left.country !== right.country) differences.push('other country');
  if (!sameNumbers(left, right)) differences.push('other numbers');

  const postcode = comparePostcodes(left.postalCode, right.postalCode, left.country);
  if (postcode === 'different') differences.push('other postcode');
  else if (postcode !== 'same')
    notes.push(
      `postcode ${postcode === 'missing' ? 'missing on one' : postcode === 'partial' ? 'shortened' : 'with a typo'}`,
    );

  // A differing direction, house name or kind of street (a Greek square for a street, an Arabic
  // square for an avenue) makes another street however alike the rest is spelled.
  const otherWords =
    otherDirection(left, right) ||
    unmatchedNames(left, right) ||
    otherGreekStreetKind(left, right) ||
    otherArabicStreetKind(left, right) ||
    otherGermanPlaceStreet(left, right) ||
    otherGermanOpposite(left, right) ||
    droppedSaint(left, right) ||
    writtenTypesDiffer(left, right);
  const street = otherWords ? 0 : streetSimilarity(left, right);
  if (street < 1) notes.push(`street typed differently (${street.toFixed(2)})`);
  if (otherWords || !(spellingAlike(street, longest(left.street, right.street)) || slipOnly(left.street, right.street)))
    differences.push('other street');

  const city = Math.max(alike(left.city, right.city), alike(left.cityAsWritten, right.cityAsWritten));
  if (city < 1) notes.push(`city typed differently (${city.toFixed(2)})`);
  const cityThreshold =
    postcode === 'same' && left.postalCode !== '' ? CITY_THRESHOLD_WITH_POSTCODE : SPELLING_THRESHOLD;
  if (
    otherCityWord(left, right) ||
    otherCityNumber(left, right) ||
    !(
      spellingAlike(city, longest(left.city, right.city), cityThreshold) ||
      slipOnly(left.city, right.city) ||
      cityKindDropped(left.city.plain, right.city.plain)
    )
  )
    differences.push('other city');

  const name = compareNames(a.name, b.name);
  if (!name.compatible) differences.push('other recipient');
  else if (name.similarity !== null && name.similarity < 1)
    notes.push(`name written differently (${name.similarity.toFixed(2)})`);

  const parts = [
    street,
    city,
    postcode === 'same' ? 1 : postcode === 'different' ? 0 : 0.9,
    differences.includes('other numbers') ? 0 : 1,
  ];
  return {
    alike: differences.length === 0,
    similarity: parts.reduce((sum, part) => sum + part, 0) / parts.length,
    identical: differences.length === 0 && notes.length === 0,
    differences,
    notes,
  };
}

/**
 * The best of three readings: with abbreviations resolved, as written, and the street's name
 * alone, so that "12 Baker" and "12 Baker Street", or "Maple Dr" and a mangled "Maple De", agree.
 * The name alone does not count when both sides name a street type and the types differ:
 * "Baker Street" and "Baker Road" are two streets.
 */
function streetSimilarity(a: AddressProfile, b: AddressProfile): number {
  let best = Math.max(alike(a.street, b.street), alike(a.streetAsWritten, b.streetAsWritten));
  if (typesDiffer(a, b) || best === 1) return best;
  for (const left of a.streetNames) for (const right of b.streetNames) best = Math.max(best, alike(left, right));
  return best;
}

/** Two dense-script spellings apart only by a character typed again beside itself (dense-script-slips.ts). */
function slipOnly(a: Spelling, b: Spelling): boolean {
  return repeatedCharacterOnly(a.plain, b.plain) || placeKindSlip(a.plain, b.plain);
}

/** Similarity of two spellings, as written or with transliterations folded, whichever is closer. */
function alike(a: Spelling, b: Spelling): number {
  if (a.plain === b.plain || a.folded === b.folded) return 1;
  return Math.max(editSimilarity(a.plain, b.plain), editSimilarity(a.folded, b.folded));
}

/**
 * House and flat numbers in their roles. When both addresses name a unit ("Apt", "кв.", "号室"),
 * the house numbers and the units must each agree: flat 12 at no. 4 is not flat 4 at no. 12. When
 * both name their units by the same words, each word's number must agree too: building 101, flat 202
 * ("101동 202호") is not building 202, flat 101; "Apt 4, Floor 2" and "Floor 2, Apt 4" agree, and
 * units named by other words ("Flat 4" / "Apt 4", a typo in the word) are compared as one set.
 * When one names none ("12 Baker St, 4"), the roles are unknown on that side and all the numbers
 * are compared as one set.
 */
function sameNumbers(a: AddressProfile, b: AddressProfile): boolean {
  const same = (x: NumberReading, y: NumberReading) =>
    a.units !== '' && b.units !== ''
      ? x.numbers === y.numbers &&
        a.units === b.units &&
        (a.unitKinds !== b.unitKinds || a.unitsByKind === b.unitsByKind)
      : x.allNumbers === y.allNumbers;
  // Neither names a flat, and both write the same numbers in another order: "4/12" and "12/4",
  // "ул. Ленина 4-12" and "12-4", 1丁目2番 and 2丁目1番 put house and flat (or block and lot) in
  // their places by order alone.
  if (same(a, b)) return a.units !== '' || b.units !== '' || a.orderedNumbers === b.orderedNumbers;
  // A house number glued to a numbered street on one side ("776th Avenue" / "77 Sixth Avenue").
  return a.gluedReadings.some((x) => same(x, b)) || b.gluedReadings.some((y) => same(a, y));
}

type NumberReading = Pick<AddressProfile, 'numbers' | 'allNumbers'>;

/** Both name a street type and no type is shared: "Baker Street" and "Baker Road" (then the name alone is no reading). */
function typesDiffer(a: AddressProfile, b: AddressProfile): boolean {
  return (
    a.streetTypes.size > 0 && b.streetTypes.size > 0 && ![...a.streetTypes].some((type) => b.streetTypes.has(type))
  );
}

/**
 * Postcodes agree when equal, when one is missing, when one is the other cut short (ZIP+4 and
 * ZIP, "NW1 6XE" and "NW1") or with a letter prefix ("D-10115", "FR-75011"), or one edit apart;
 * and where the country's codes are all digits of one length, when one lost its leading zeros
 * (postcode-lengths.ts).
 */
function comparePostcodes(a: string, b: string, country: string): PostcodeAgreement {
  if (a === b) return a === '' ? 'missing' : 'same';
  // "00100" and "100": the zeros lost, the same code ("101" stays another: a short code is no typo of a long one).
  if (withLeadingZeros(a, country) === withLeadingZeros(b, country)) return 'same';
  if (a === '' || b === '') return 'missing';
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length >= 3 && longer.startsWith(shorter)) return 'partial';
  if (shorter.length >= 4 && longer.endsWith(shorter) && /^[A-Z]+$/.test(longer.slice(0, -shorter.length)))
    return 'same';
  if (shorter.length >= 4 && withinOneEdit(a, b)) return 'typo';
  return 'different';
}

/**
 * Both sides write a street type out, as a word of the vocabulary that opens the street on both or
 * closes it on both, and the two differ: another street, however alike the names ("Avenue de la
 * Paix" / "Rue de la Paix", "שדרות סעדיה" / "דרך סעדיה": a town has both). The whole spellings are
 * alike through the name alone (0.71), and typesDiffer only keeps the name from being read alone.
 * Words as written, spelled out: a type glued to the name or mistyped is no such word, nor an
 * abbreviation of two letters ("al.": an allée or an aleja), nor a type read inside the street
 * ("PauPl-Löbe-Str.", a capital typed inside a name), nor one at the other end ("Pl. Gran Vía"), and
 * a type at both ends ("St John's Road": saint or street) leaves the reading to the spelling as
 * before. Thirteenth round.
 */
function writtenTypesDiffer(a: AddressProfile, b: AddressProfile): boolean {
  if (a.nameWords.length === 0 || b.nameWords.length === 0) return false;
  const [aFirst, aLast] = writtenTypes(a.streetAsWrittenWords);
  const [bFirst, bLast] = writtenTypes(b.streetAsWrittenWords);
  const opening = aFirst !== undefined && bFirst !== undefined && aLast === undefined && bLast === undefined;
  const closing = aLast !== undefined && bLast !== undefined && aFirst === undefined && bFirst === undefined;
  return (
    (opening && aFirst !== bFirst && !abbreviationSlip(a, b)) ||
    (closing && aLast !== bLast) ||
    segmentTypesDiffer(a, b) ||
    polishKindsDiffer(a, b)
  );
}

/**
 * Two opening types, one of them of two letters, one typo apart: a slip of a neighbouring key, not
 * another kind ("Pl." / "Po.", a place and a paseo; "Gg." / "Gr."): left to the spelling. Seen on
 * `dedupe:probe`'s Polish and Indonesian retypings when two-letter types first counted.
 */
function abbreviationSlip(a: AddressProfile, b: AddressProfile): boolean {
  const [x, y] = [a.streetAsWrittenWords[0], b.streetAsWrittenWords[0]];
  return (x.length < SPELLED_OUT || y.length < SPELLED_OUT) && withinOneEdit(x, y);
}

/**
 * The same, line by line and part by part between commas: a type closes the part that names the
 * street, not the locality on line 2 after it ("221B Baker Street" + "Marylebone" / "221B Baker
 * Road" + "Marylebone" are two streets, as they are without line 2; found from outside on
 * 2026-12-05, where the locality made the whole spellings alike and the two were held). Each side's
 * parts that open or close with a type (one end only) give their types; both sides give some at the
 * same end, and none of them is named on the other side.
 */
function segmentTypesDiffer(a: AddressProfile, b: AddressProfile): boolean {
  if (a.streetSegments.length < 2 && b.streetSegments.length < 2) return false;
  const [aOpening, aClosing] = segmentTypes(a);
  const [bOpening, bClosing] = segmentTypes(b);
  // A type that ends a part on one side and is named anywhere on the other is shared ("Caddesi" before
  // a flat word the vocabulary does not know, "Daire").
  const named = (types: Set<string>, other: AddressProfile) => [...types].some((type) => other.streetTypes.has(type));
  if (named(aOpening, b) || named(aClosing, b) || named(bOpening, a) || named(bClosing, a)) return false;
  return (aOpening.size > 0 && bOpening.size > 0) || (aClosing.size > 0 && bClosing.size > 0);
}

/** The types that open and those that close a part of the street of two words or more (writtenTypes). */
function segmentTypes(side: AddressProfile): [Set<string>, Set<string>] {
  const opening = new Set<string>();
  const closing = new Set<string>();
  for (const words of side.streetSegments) {
    if (words.length < 2) continue;
    const [first, last] = writtenTypes(words, false);
    if (first !== undefined && last === undefined) opening.add(first);
    if (last !== undefined && first === undefined) closing.add(last);
  }
  return [opening, closing];
}

/** The canonical types of the first and of the last of the words as written, when spelled out and the vocabulary knows them. */
function writtenTypes(words: readonly string[], wholeStreet = true): [string | undefined, string | undefined] {
  const typeOf = (word: string | undefined, letters = SPELLED_OUT) => {
    const entry = word !== undefined && word.length >= letters ? vocabularyEntry(word) : undefined;
    return entry?.kind === 'type' ? entry.canonical : undefined;
  };
  // Closing the street, two letters say the kind too ("Church Rd" / "Church St", "Maple Ct" /
  // "Maple Cir"): after the name, "St" is no saint. Found from outside (stop 38).
  // Opening the whole street, two letters too when they name one kind ("Av." / "Rua", "Jr." / "Av.", "Jl." /
  // "Gg.", "RR" / "HC": third outside round), not "al." (an allée or an aleja) nor "St" (a saint).
  const opening = OPENING_AMBIGUOUS.has(words[0] ?? '') || !wholeStreet ? SPELLED_OUT : CLOSING_ABBREVIATED;
  return words.length <= 1
    ? [typeOf(words[0], opening), undefined]
    : [typeOf(words[0], opening), typeOf(words.at(-1), CLOSING_ABBREVIATED)];
}

/** Two-letter types that open a street and may name two kinds: "al." (allée, aleja), "St" (street, saint). */
const OPENING_AMBIGUOUS: ReadonlySet<string> = new Set(['al', 'st']);

/** Letters from which a type word closing the street says its kind. */
const CLOSING_ABBREVIATED = 2;

/** Letters from which a type word is spelled out enough to say its kind: "al." is an allée or an aleja, "r" a rue or a road. */
const SPELLED_OUT = 3;
