import { directionSpellings } from './address-vocabulary';
import { addressProfile } from './address-profile';
import { resolveWord } from './address-words';
import type { AddressProfile, Spelling } from './address-profile';
import { compareNames } from './person-name';
import { editDistance, editSimilarity, withinOneEdit } from './string-similarity';
import type { ShippingAddress } from './shipping-address';
import { isDenseScript } from './text-folding';

/**
 * Least similarity (1 − edits / length) at which two street or city spellings are taken for the
 * same: three letters in ten may be dropped, doubled, swapped or mistyped ("Bakr Stret" for
 * "Baker Street", "Lipwa" for "Lipowa"); one edit is always allowed, so that short names ("Ulm")
 * survive a typo. Lenient on purpose: what tells neighbours apart (house and flat numbers, the
 * cart, the customer) is compared exactly.
 */
export const SPELLING_THRESHOLD = 0.7;
/** The city may differ more when both postcodes are given and agree: they already place it. */
export const CITY_THRESHOLD_WITH_POSTCODE = 0.5;

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
 * recipient's name only to tell a parcel for someone else apart (person-name.ts).
 */
export function compareAddresses(a: ShippingAddress, b: ShippingAddress): AddressComparison {
  const left = addressProfile(a);
  const right = addressProfile(b);
  const differences: AddressDifference[] = [];
  const notes: string[] = [];
  if (left.country !== right.country) differences.push('other country');
  if (!sameNumbers(left, right)) differences.push('other numbers');

  const postcode = comparePostcodes(left.postalCode, right.postalCode);
  if (postcode === 'different') differences.push('other postcode');
  else if (postcode !== 'same')
    notes.push(
      `postcode ${postcode === 'missing' ? 'missing on one' : postcode === 'partial' ? 'shortened' : 'with a typo'}`,
    );

  // A differing direction or house name makes another street however alike the rest is spelled.
  const otherWords = otherDirection(left, right) || unmatchedNames(left, right);
  const street = otherWords ? 0 : streetSimilarity(left, right);
  if (street < 1) notes.push(`street typed differently (${street.toFixed(2)})`);
  if (otherWords || !spellingAlike(street, longest(left.street, right.street))) differences.push('other street');

  const city = Math.max(alike(left.city, right.city), alike(left.cityAsWritten, right.cityAsWritten));
  if (city < 1) notes.push(`city typed differently (${city.toFixed(2)})`);
  const cityThreshold =
    postcode === 'same' && left.postalCode !== '' ? CITY_THRESHOLD_WITH_POSTCODE : SPELLING_THRESHOLD;
  if (!spellingAlike(city, longest(left.city, right.city), cityThreshold)) differences.push('other city');

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

/** Similarity of two spellings, as written or with transliterations folded, whichever is closer. */
function alike(a: Spelling, b: Spelling): number {
  if (a.plain === b.plain || a.folded === b.folded) return 1;
  return Math.max(editSimilarity(a.plain, b.plain), editSimilarity(a.folded, b.folded));
}

/**
 * How much a Chinese, Japanese or Korean spelling must carry before one typo is forgiven: a
 * Chinese character or a Hangul syllable counts 2 (a word, or a syllable of two or three
 * letters), a kana 1 (a syllable), anything else 1; the longer spelling's weight counts. In shorter names one differing character is another name
 * (村田ハイツ, weight 7, is not 徳田ハイツ; 港大翔町, weight 8, may be typed 港翔大町).
 */
const DENSE_WEIGHT_FOR_A_TYPO = 8;

function denseWeight(text: string): number {
  let weight = 0;
  for (const character of text) weight += /[\p{sc=Han}\p{sc=Hangul}]/u.test(character) ? 2 : 1;
  return weight;
}

interface SpellingSize {
  length: number;
  dense: boolean;
  weight: number;
}

/** The longer of two spellings, with its script: what the thresholds of spellingAlike are measured on. */
function longest(a: Spelling, b: Spelling): SpellingSize {
  const longer = a.plain.length >= b.plain.length ? a.plain : b.plain;
  const dense = isDenseScript(a.plain) || isDenseScript(b.plain);
  return { length: longer.length, dense, weight: dense ? Math.max(denseWeight(a.plain), denseWeight(b.plain)) : 0 };
}

/**
 * At the threshold, or one edit apart in a string of three letters or more. In Chinese, Japanese
 * and Korean a character is a syllable or a word (佳奈町 and 佳奈市 are two places): one edit
 * from DENSE_WEIGHT_FOR_A_TYPO, none below.
 */
function spellingAlike(
  value: number,
  { length, dense, weight }: SpellingSize,
  threshold = SPELLING_THRESHOLD,
): boolean {
  if (dense) return value === 1 || (weight >= DENSE_WEIGHT_FOR_A_TYPO && value >= 1 - 1 / length - 1e-9);
  return value >= threshold - 1e-9 || (length >= 3 && value >= 1 - 1 / length - 1e-9);
}

/**
 * House and flat numbers in their roles. When both addresses name a unit ("Apt", "кв.", "号室"),
 * the house numbers and the units must each agree: flat 12 at no. 4 is not flat 4 at no. 12.
 * When one names none ("12 Baker St, 4"), the roles are unknown on that side and all the numbers
 * are compared as one set.
 */
function sameNumbers(a: AddressProfile, b: AddressProfile): boolean {
  if (a.units !== '' && b.units !== '') return a.numbers === b.numbers && a.units === b.units;
  return a.allNumbers === b.allNumbers;
}

/** Both name a street type and no type is shared: "Baker Street" and "Baker Road" (then the name alone is no reading). */
function typesDiffer(a: AddressProfile, b: AddressProfile): boolean {
  return (
    a.streetTypes.size > 0 && b.streetTypes.size > 0 && ![...a.streetTypes].some((type) => b.streetTypes.has(type))
  );
}

/**
 * Both name a direction and they differ: "North Road" and "South Road", "Rue du Nord" and "Rue du
 * Sud"; in Chinese, Japanese and Korean, a leading direction character (北区 and 南区).
 */
function otherDirection(a: AddressProfile, b: AddressProfile): boolean {
  if (a.directions.size > 0 && b.directions.size > 0)
    return (
      a.directions.size !== b.directions.size || [...a.directions].some((direction) => !b.directions.has(direction))
    );
  if (a.directions.size > 0) return !directionTraced(a, b);
  if (b.directions.size > 0) return !directionTraced(b, a);
  return otherDenseMark(a.street.plain, b.street.plain) || otherDenseMark(a.city.plain, b.city.plain);
}

/**
 * A direction said on one side only is another street ("South Main St" / "Main St", "Süd
 * Feldstr." / "Nrd Feldstr.") unless the other side still shows it, typed so badly it no longer
 * reads as one: a word alike the word that said it ("Nord" / "Nrd"), or one edit from, or starting
 * with, a spelling of the same direction ("sudhauptstr" for "Süd Hauptstr.").
 */
function directionTraced(said: AddressProfile, other: AddressProfile): boolean {
  const otherWords = other.streetAsWrittenWords;
  const spellings = [...said.directions].flatMap((direction) =>
    directionSpellings(direction).filter((spelling) => spelling.length >= 3),
  );
  return otherWords.some(
    (word) =>
      said.directionWords.some(
        // Alike, or glued to the next word ("NPearl", "SOak" for "N Pearl", "S Oak").
        (sayer) => twoWordsAlike(sayer, word) || said.streetAsWrittenWords.some((next) => word === sayer + next),
      ) ||
      spellings.some((spelling) => word.startsWith(spelling) || (word.length >= 2 && withinOneEdit(word, spelling))),
  );
}

/** Direction characters that open a Chinese, Japanese or Korean place name. */
const DENSE_DIRECTIONS = /^[北南東西东북남서]/u;
/** Characters that close a Chinese, Japanese or Korean place name with its kind: city, ward, town, village, district, road. */
const DENSE_KINDS = /[市区區町村県都府道州县镇乡路街시구군동읍면리길로]$/u;

/** Two dense-script names that differ in their leading direction or their closing kind (港区 and 港町). */
function otherDenseMark(a: string, b: string): boolean {
  if (!isDenseScript(a) || !isDenseScript(b) || a === b) return false;
  const first = (text: string) => DENSE_DIRECTIONS.exec(text)?.[0];
  const last = (text: string) => DENSE_KINDS.exec(text)?.[0];
  return (
    (first(a) !== undefined && first(b) !== undefined && first(a) !== first(b)) ||
    (last(a) !== undefined && last(b) !== undefined && last(a) !== last(b))
  );
}

/**
 * A name word on each side that has no counterpart on the other: "Rose Cottage, Mill Lane" and
 * "Ivy Cottage, Mill Lane" are two houses, though their whole spellings are 80 % alike. A word
 * has a counterpart when the other side has a word alike (typo-tolerant), a word that is it and
 * its neighbour written without the space between ("Mill Lane" and "Milllane"), or abbreviates
 * it or is abbreviated by it ("Cvs" for "Coves").
 */
function unmatchedNames(a: AddressProfile, b: AddressProfile): boolean {
  // Words written alike on both sides are paired first: each word is another's counterpart once.
  const [aWords, bWords] = withoutCommonWords(a.nameWords, b.nameWords);
  // Without any number, the words are all that names the house: a word of its name typed again
  // may carry one typo, not more ("Brytskyi" / "Balytskyi", "الأشراف" / "الشريف" are two houses).
  const numberless = a.allNumbers === '' && b.allNumbers === '';
  const wordsAlike = numberless ? oneTypoApart : twoWordsAlike;
  const leftOver = (
    words: readonly string[],
    others: readonly string[],
    side: AddressProfile,
    other: AddressProfile,
  ) => {
    // An abbreviation counts when its side does not also have it as a word of its own ("an" in "An der Feldgasse").
    const abbreviated = (word: string, otherWord: string) =>
      !words.includes(otherWord) && (abbreviates(word, otherWord) || abbreviates(otherWord, word));
    return words.filter(
      (word) =>
        (word.length >= 3 || !/^[a-z]+$/.test(word)) &&
        !spaceLost(word, side.streetAsWrittenWords, other.streetAsWrittenWords, wordsAlike) &&
        !others.some((otherWord) => wordsAlike(word, otherWord) || abbreviated(word, otherWord)),
    );
  };
  const left = leftOver(aWords, bWords, a, b);
  const right = leftOver(bWords, aWords, b, a);
  // Without any number, the words are all that names the house: one more on one side is another house.
  if (numberless) return left.length + right.length > 0 && !wordsAlike(left.join(''), right.join(''));
  if (left.length === 0 || right.length === 0) return false;
  // Left-over words alike enough, one by one or joined, are one name typed badly ("Mkcehl", "victirhugo").
  if (wordsAlike(left.join(''), right.join(''))) return false;
  return !left.some((x) => right.some((y) => twoTyposApart(x, y)));
}

/** Each side's words without those the other side has too, each occurrence answering once. */
function withoutCommonWords(a: readonly string[], b: readonly string[]): [string[], string[]] {
  const rest = [...b];
  const left: string[] = [];
  for (const word of a) {
    const at = rest.indexOf(word);
    if (at >= 0) rest.splice(at, 1);
    else left.push(word);
  }
  return [left, rest];
}

/**
 * `word` and a neighbour, written together, are a word of the other side ("Mill Lane" /
 * "Milllane", "جادة شقرون" / "جادةشقرون"), or `word` is two neighbouring words of the other side
 * run together: a space lost or added, not one name inside another ("Smith" in "Smithson"). Among
 * the words as written, so that a street type glued to a name counts. A typo is forgiven in the
 * joined spelling except in Chinese, Japanese and Korean, where one character is a syllable or a
 * word ("张公馆 焦路" is not "俞公馆焦路").
 */
function spaceLost(
  word: string,
  own: readonly string[],
  others: readonly string[],
  wordsAlike: (x: string, y: string) => boolean,
): boolean {
  const same = (x: string, y: string) => x === y || (!isDenseScript(x + y) && wordsAlike(x, y));
  // A stem split from its type ("haupt" of "hauptstrasse") stands for the word it came from.
  const written = own.includes(word) ? word : own.find((candidate) => candidate.startsWith(word));
  if (written === undefined) return false;
  // "Causeway" split as "cause" + way on one side only ("Causewayy"): the words as written agree.
  if (written !== word && others.some((other) => same(written, other))) return true;
  // A street type or direction glued to it on the other side ("BOULEVARDVOLTAIRE", "sudhauptstr").
  for (const other of others) {
    if (other.length <= word.length) continue;
    const rest = other.startsWith(word)
      ? other.slice(word.length)
      : other.endsWith(word)
        ? other.slice(0, -word.length)
        : '';
    if (rest !== '' && resolveWord(rest).kind !== 'name') return true;
  }
  const at = own.indexOf(written);
  const runs = [own.slice(Math.max(0, at - 1), at + 1), own.slice(at, at + 2)].filter((run) => run.length === 2);
  if (runs.some((run) => others.some((other) => same(run.join(''), other)))) return true;
  for (let index = 0; index + 1 < others.length; index++)
    if (same(written, others[index] + others[index + 1])) return true;
  return false;
}

/**
 * Two left-over words of five letters or more, two edits apart, are one word with two typos
 * ("Mkcehl" for "Michel", "Myir" for "Mayor"); shorter words two edits apart are two names ("Hang"
 * / "Hain"). Latin only: in other scripts a letter carries more ("Північна" / "Південна").
 */
function twoTyposApart(a: string, b: string): boolean {
  return latin(a + b) && Math.max(a.length, b.length) >= 5 && editDistance(a, b) <= 2;
}

const latin = (text: string) => /^[a-z]+$/.test(text);

/** One typo apart, the first letter right, no Chinese character put for another. */
function oneTypoApart(a: string, b: string): boolean {
  return a === b || (a[0] === b[0] && withinOneEdit(a, b) && !otherCharacter(a, b));
}

function twoWordsAlike(a: string, b: string): boolean {
  if (otherCharacter(a, b)) return false;
  return spellingAlike(editSimilarity(a, b), longest({ plain: a, folded: a }, { plain: b, folded: b }));
}

const SYLLABLE_OR_WORD = /\p{sc=Han}/u;

/**
 * Two names that differ in one Chinese character put in place of another (岡崎 / 山崎, 小森 /
 * 小沢): each character is a word or a morpheme of its own, so this is another name, not a slip.
 * A character dropped, doubled or two swapped still read as a typo (港大翔町 / 港翔大町).
 */
function otherCharacter(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let differing = -1;
  for (let index = 0; index < a.length; index++) {
    if (a[index] === b[index]) continue;
    if (differing >= 0) return false;
    differing = index;
  }
  return SYLLABLE_OR_WORD.test(a[differing]) && SYLLABLE_OR_WORD.test(b[differing]);
}

const VOWELS = /[aeiouy]/;

/**
 * `short` abbreviates `long`: same first letter, its letters in `long` in order, and written as
 * abbreviations are — up to four letters, and from four letters without a vowel after the first
 * ("bd", "Cvs", "Pkwy"; not "Kuhn" for "Kuhlman").
 */
function abbreviates(short: string, long: string): boolean {
  if (short.length < 2 || short.length >= long.length || short[0] !== long[0] || isDenseScript(long)) return false;
  if (short.length > 4 || (short.length === 4 && VOWELS.test(short.slice(1)))) return false;
  let at = 0;
  for (const letter of short) {
    at = long.indexOf(letter, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/**
 * Postcodes agree when equal, when one is missing, when one is the other cut short (ZIP+4 and
 * ZIP, "NW1 6XE" and "NW1") or with a letter prefix ("D-10115", "FR-75011"), or one edit apart.
 */
function comparePostcodes(a: string, b: string): PostcodeAgreement {
  if (a === b) return a === '' ? 'missing' : 'same';
  if (a === '' || b === '') return 'missing';
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length >= 3 && longer.startsWith(shorter)) return 'partial';
  if (shorter.length >= 4 && longer.endsWith(shorter) && /^[A-Z]+$/.test(longer.slice(0, -shorter.length)))
    return 'same';
  if (shorter.length >= 4 && withinOneEdit(a, b)) return 'typo';
  return 'different';
}
