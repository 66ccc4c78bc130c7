import { withinOneEdit } from './string-similarity';

/**
 * Numbers written as words, read as their digits, so that "Fifth Avenue" and "5th Avenue", or
 * "Flat Two" and "Flat 2", agree: ordinals and cardinals to twenty in English, ordinals to ten in
 * French (as written after folding: "cinquième" → "cinquieme"), and (OTHER_ORDINALS) in German,
 * Russian, Spanish and Italian.
 */
const WORDS: readonly (readonly string[])[] = [
  ['one', 'first', 'premier', 'premiere', 'unieme'],
  ['two', 'second', 'deuxieme', 'seconde'],
  ['three', 'third', 'troisieme'],
  ['four', 'fourth', 'quatrieme'],
  ['five', 'fifth', 'cinquieme'],
  ['six', 'sixth', 'sixieme'],
  ['seven', 'seventh', 'septieme'],
  ['eight', 'eighth', 'huitieme'],
  ['nine', 'ninth', 'neuvieme'],
  ['ten', 'tenth', 'dixieme'],
  ['eleven', 'eleventh'],
  ['twelve', 'twelfth'],
  ['thirteen', 'thirteenth'],
  ['fourteen', 'fourteenth'],
  ['fifteen', 'fifteenth'],
  ['sixteen', 'sixteenth'],
  ['seventeen', 'seventeenth'],
  ['eighteen', 'eighteenth'],
  ['nineteen', 'nineteenth'],
  ['twenty', 'twentieth'],
];

/**
 * Ordinals one to ten that name streets in German, Russian, Spanish and Italian, as folded ("Zweite
 * Straße" / "2. Straße", "Вторая Тверская-Ямская" / "2-я …", "Calle Tercera" / "Calle 3ª", "Via
 * Quarta"). Not "quinta"/"quinto" (a Portuguese and Spanish estate) nor "nona"/"nono" (names).
 * Found from outside (stop 38). Since the second outside round Ukrainian too, in its three genders
 * ("Друга лінія" / "2-га лінія", "Перший провулок" / "1-й провулок"), "пʼята" with the Ukrainian
 * apostrophe, a letter, or without it (the typed apostrophe is dropped).
 */
const OTHER_ORDINALS: readonly (readonly string[])[] = [
  ['erste', 'erster', 'ersten', 'первая', 'первыи', 'primera', 'primero', 'prima', 'primo'],
  ['zweite', 'zweiter', 'zweiten', 'вторая', 'второи', 'segunda', 'seconda', 'secondo'],
  ['dritte', 'dritter', 'dritten', 'третья', 'третии', 'tercera', 'tercero', 'terza', 'terzo'],
  ['vierte', 'vierter', 'vierten', 'четвертая', 'четвертыи', 'cuarta', 'cuarto', 'quarta', 'quarto'],
  ['funfte', 'funfter', 'funften', 'пятая', 'пятыи'],
  ['sechste', 'sechster', 'sechsten', 'шестая', 'шестои', 'sexta', 'sexto', 'sesta', 'sesto'],
  ['siebte', 'siebter', 'siebten', 'седьмая', 'седьмои', 'septima', 'septimo', 'settima', 'settimo'],
  ['achte', 'achter', 'achten', 'восьмая', 'восьмои', 'octava', 'octavo', 'ottava', 'ottavo'],
  ['neunte', 'neunter', 'neunten', 'девятая', 'девятыи', 'novena', 'noveno'],
  ['zehnte', 'zehnter', 'zehnten', 'десятая', 'десятыи', 'decima', 'decimo'],
];

/** Ukrainian ordinals one to ten, masculine, feminine and neuter, as folded (see OTHER_ORDINALS). */
const UKRAINIAN_ORDINALS: readonly (readonly string[])[] = [
  ['першии', 'перша', 'перше'],
  ['другии', 'друга', 'друге'],
  ['третіи', 'третя', 'третє'],
  ['четвертии', 'четверта', 'четверте'],
  ['пятии', 'пята', 'пяте', 'пʼятии', 'пʼята', 'пʼяте'],
  ['шостии', 'шоста', 'шосте'],
  ['сьомии', 'сьома', 'сьоме'],
  ['восьмии', 'восьма', 'восьме'],
  ['девятии', 'девята', 'девяте', 'девʼятии', 'девʼята', 'девʼяте'],
  ['десятии', 'десята', 'десяте'],
];

/**
 * Greek ordinals one to ten, as folded (accents dropped, final sigma σ), feminine (a street, "οδός",
 * is feminine: "Δεύτερη Πάροδος" / "2η Πάροδος"), masculine, neuter and the feminine genitive
 * ("Πέμπτης"). Found from outside (2026-12-05), where such a retyping was "other numbers".
 */
const GREEK_ORDINALS: readonly (readonly string[])[] = [
  ['πρωτη', 'πρωτοσ', 'πρωτο', 'πρωτησ'],
  ['δευτερη', 'δευτεροσ', 'δευτερο', 'δευτερησ'],
  ['τριτη', 'τριτοσ', 'τριτο', 'τριτησ'],
  ['τεταρτη', 'τεταρτοσ', 'τεταρτο', 'τεταρτησ'],
  ['πεμπτη', 'πεμπτοσ', 'πεμπτο', 'πεμπτησ'],
  ['εκτη', 'εκτοσ', 'εκτο', 'εκτησ'],
  ['εβδομη', 'εβδομοσ', 'εβδομο', 'εβδομησ'],
  ['ογδοη', 'ογδοοσ', 'ογδοο', 'ογδοησ'],
  ['ενατη', 'ενατοσ', 'ενατο', 'ενατησ', 'εννατη', 'εννατοσ', 'εννατο', 'εννατησ'],
  ['δεκατη', 'δεκατοσ', 'δεκατο', 'δεκατησ'],
];

/** The ordinals one to ten beyond English and French, each language's list in the order of its numbers. */
const ONE_TO_TEN = [...OTHER_ORDINALS, ...UKRAINIAN_ORDINALS, ...GREEK_ORDINALS].map((spellings, index) => ({
  spellings,
  digits: String((index % 10) + 1),
}));

const DIGITS_OF = new Map<string, string>([
  ...WORDS.flatMap((spellings, index) => spellings.map((word) => [word, String(index + 1)] as const)),
  ...ONE_TO_TEN.flatMap(({ spellings, digits }) => spellings.map((word) => [word, digits] as const)),
]);

/** English ordinals of five letters or more, which one typo does not disguise as another word ("Eightgh", "Sxth"). */
const LONG_ORDINALS = [...DIGITS_OF.keys()].filter((word) => word.length >= 5 && /(th|st|nd|rd)$/.test(word));

/** Ordinals as words (English and French), the forms that name a street ("Fifth", "cinquième"); not the cardinals. */
const ORDINALS: ReadonlySet<string> = new Set([
  ...WORDS.flatMap((spellings) => spellings.slice(1)),
  ...ONE_TO_TEN.flatMap(({ spellings }) => spellings),
]);

/** English tens from twenty, cardinal and ordinal: the first word of "Twenty-Third", "Thirty Four". */
const TENS = new Map<string, number>(
  ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'].flatMap((word, index) => [
    [word, (index + 2) * 10] as const,
    [`${word.slice(0, -1)}ieth`, (index + 2) * 10] as const,
  ]),
);

/** Units one to nine, English, cardinal or ordinal: the second word of "Twenty-Third". */
const ENGLISH_UNITS = new Map<string, number>(
  WORDS.slice(0, 9).flatMap((spellings, index) => spellings.slice(0, 2).map((word) => [word, index + 1] as const)),
);

/** The digits a folded word spells ("fifth" → "5"; with one typo, "fifht", "nint" → "9"; "twentythird" → "23"), or null. */
export function numberWord(word: string): string | null {
  const exact = DIGITS_OF.get(word) ?? tensWord(word);
  if (exact !== undefined) return exact;
  return mistypedOrdinal(word);
}

/** "thirtieth" → "30", "twentythird" → "23" (a compound written without its hyphen); undefined otherwise. */
function tensWord(word: string): string | undefined {
  const tens = TENS.get(word);
  if (tens !== undefined) return String(tens);
  for (const [tensWord, value] of TENS) {
    const unit = word.startsWith(tensWord) ? ENGLISH_UNITS.get(word.slice(tensWord.length)) : undefined;
    if (unit !== undefined) return String(value + unit);
  }
  return undefined;
}

/**
 * Joins an English compound number written as two words ("Twenty-Third", "Thirty Four": the hyphen
 * is a word separator) into one word that numberWord reads ("twentythird" → "23"), so that "300
 * Twenty-Third Street" is "300 23rd Street", not the numbers 20, 3 and 300.
 */
export function joinCompoundNumbers(tokens: readonly string[]): string[] {
  const joined: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const [token, next] = [tokens[index], tokens[index + 1]];
    if (next !== undefined && TENS.has(token) && !token.endsWith('ieth') && ENGLISH_UNITS.has(next)) {
      joined.push(token + next);
      index += 1;
    } else joined.push(token);
  }
  return joined;
}

/** The digits of a long English ordinal typed with one typo ("fifht", "eigheh" → 8), when it can be no other. */
function mistypedOrdinal(word: string): string | null {
  if (word.length < 4 || !/^[a-z]+$/.test(word)) return null;
  const near = LONG_ORDINALS.filter((ordinal) => withinOneEdit(ordinal, word));
  return near.length === 1 ? DIGITS_OF.get(near[0])! : null;
}

/**
 * The digits of an ordinal written as a word ("sixth" → 6), also of a long one with one typo and
 * its first letter right ("seventsh" → 7; "benth" is no "tenth"), or null; cardinals ("four") are not.
 */
export function ordinalWord(word: string): string | null {
  if (ORDINALS.has(word)) return DIGITS_OF.get(word)!;
  const digits = mistypedOrdinal(word);
  return digits !== null && LONG_ORDINALS.some((ordinal) => ordinal[0] === word[0] && DIGITS_OF.get(ordinal) === digits)
    ? digits
    : null;
}

/** The English ordinal ending of a number: 1 → "st", 2 → "nd", 3 → "rd", 11–13 and the rest → "th". */
export function ordinalEnding(digits: string): string {
  const value = Number(digits);
  if (value % 100 >= 11 && value % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][value % 10] ?? 'th';
}

/** Where "2e" is an ordinal ("12 2e Avenue": the second avenue), not house 2E. */
const FRENCH_ORDINAL_E: ReadonlySet<string> = new Set(['FR', 'BE', 'CH', 'LU', 'MC']);

/** Where a number's Greek ending makes it an ordinal ("2η Πάροδος", "28ης Οκτωβρίου"). */
const GREEK_ORDINAL_COUNTRIES: ReadonlySet<string> = new Set(['GR', 'CY']);

/** Where a number's Cyrillic ending makes it an ordinal ("2-я Тверская-Ямская", "1-й переулок"). */
const CYRILLIC_ORDINAL_COUNTRIES: ReadonlySet<string> = new Set(['RU', 'BY', 'KZ', 'UA']);

/**
 * "2-я", "1-й", "3-ая" read as the number alone, where the country writes ordinals so. Found from
 * outside (stop 38). The Ukrainian endings of the three genders too, after a hyphen ("2-га", "1-ша",
 * "3-тя", "4-та", "7-ма", "2-ге", "3-ій"; second outside round); not "-а", a house's letter ("12-а").
 * In Greece and Cyprus the feminine "2η", "28ης" (2026-12-05).
 */
export function ordinalEndingsDropped(text: string, country: string): string {
  // "2η Πάροδος", "28ης Οκτωβρίου": the feminine ordinal a street takes ("ος", a floor's, stays).
  if (GREEK_ORDINAL_COUNTRIES.has(country)) return text.replace(/(\d)\s*-?\s*(?:η[ςσ]|η)(?![\p{L}\d])/giu, '$1');
  if (!CYRILLIC_ORDINAL_COUNTRIES.has(country)) return text;
  return text
    .replace(/(\d)\s*-\s*(?:ая|ой|ый|ий|ій|ша|ше|га|ге|тя|тє|та|те|ма|ме|я|й)(?![\p{L}\d])/giu, '$1')
    .replace(/(\d)(?:ая|я|й)(?![\p{L}\d])/giu, '$1');
}

/** Whether "2e" is an ordinal where `country` writes it. */
export function frenchOrdinalE(country: string): boolean {
  return FRENCH_ORDINAL_E.has(country);
}

const ROMAN_VALUES: Readonly<Record<string, number>> = { i: 1, v: 5, x: 10 };

/** The value of a Roman numeral of i, v and x, folded ("xxiv" → 24); the caller checks its form. */
export function romanValue(numeral: string): number {
  let total = 0;
  for (let index = 0; index < numeral.length; index++) {
    const value = ROMAN_VALUES[numeral[index]];
    const next = ROMAN_VALUES[numeral[index + 1]] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}
