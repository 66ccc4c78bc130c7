import { memoised } from './address-words';

/**
 * Street types that Dutch and the Nordic languages write glued to the name ("Ellevej", "Vestergade",
 * "Järnvägsgatan", "Fayenplantsoen", "Mannerheimintie"), folded, under the canonical types of
 * address-vocabulary.ts, per country. Read only there: in English "-gade" ends "Brigade" and "-tie"
 * ends "Bertie". Split off, two names of one kind of street compare as names ("Elle" / "Pile",
 * "Vester" / "Øster": another street) instead of through the type they share (street-words.ts).
 * From each country's usual street suffixes (Dutch straat, weg, laan…; Danish vej, gade, allé…;
 * Norwegian vei/veien, gate/gata…; Swedish väg/vägen, gata/gatan…; Finnish katu, tie, kuja…).
 */
const DUTCH: readonly [string, string][] = [
  ['plantsoen', 'park'],
  ['straat', 'street'],
  ['gracht', 'canal'],
  ['singel', 'canal'],
  ['steeg', 'alley'],
  ['dreef', 'avenue'],
  ['plein', 'place'],
  ['markt', 'market'],
  ['laan', 'lane'],
  ['kade', 'quay'],
  ['dijk', 'dike'],
  ['weg', 'way'],
  ['pad', 'path'],
  ['hof', 'court'],
];
const DANISH: readonly [string, string][] = [
  ['straede', 'alley'],
  ['plads', 'place'],
  ['gade', 'street'],
  ['torv', 'square'],
  ['alle', 'avenue'],
  ['vej', 'road'],
];
const NORWEGIAN: readonly [string, string][] = [
  ['plassen', 'place'],
  ['torget', 'square'],
  ['veien', 'road'],
  ['vegen', 'road'],
  ['gaten', 'street'],
  ['plass', 'place'],
  ['gata', 'street'],
  ['gate', 'street'],
  ['torg', 'square'],
  ['alle', 'avenue'],
  ['vei', 'road'],
  ['veg', 'road'],
];
const SWEDISH: readonly [string, string][] = [
  ['platsen', 'place'],
  ['torget', 'square'],
  ['stigen', 'path'],
  ['vagen', 'road'],
  ['granden', 'alley'],
  ['gatan', 'street'],
  ['grand', 'alley'],
  ['allen', 'avenue'],
  ['plats', 'place'],
  ['gata', 'street'],
  ['torg', 'square'],
  ['stig', 'path'],
  ['alle', 'avenue'],
  ['vag', 'road'],
];
const FINNISH: readonly [string, string][] = [
  ['penger', 'embankment'],
  ['raitti', 'path'],
  ['ranta', 'shore'],
  ['linja', 'line'],
  ['kaari', 'crescent'],
  ['rinne', 'slope'],
  ['katu', 'street'],
  ['kuja', 'alley'],
  ['polku', 'path'],
  ['tori', 'square'],
  ['vayla', 'way'],
  ['tie', 'road'],
];

const BY_COUNTRY: Readonly<Record<string, readonly [string, string][]>> = {
  NL: DUTCH,
  BE: DUTCH,
  DK: DANISH,
  NO: NORWEGIAN,
  SE: SWEDISH,
  FI: FINNISH,
};

/** Whether street words of `country` may carry a glued type of this file. */
export function gluesStreetTypes(country: string): boolean {
  return country in BY_COUNTRY;
}

/**
 * The word split into its name and its glued type (the longest suffix that leaves a name of three
 * letters or more), or null; exact suffixes only (a typo in a short suffix would make one of any name).
 */
export const splitGluedType = memoised((key: string): { stem: string; type: string; strong: boolean } | null => {
  const [country, word] = key.split(' ', 2) as [string, string];
  for (const [suffix, type] of BY_COUNTRY[country] ?? []) {
    if (word.length >= suffix.length + 3 && word.endsWith(suffix))
      return { stem: word.slice(0, -suffix.length), type, strong: true };
  }
  return null;
});

/**
 * One of the types above written apart ("Eides Vei", "Johansens Gate"), resolved, or null: so
 * that "Johansens Gate" is a street where "Johannessvei" is a road, and "Eides Vei" and
 * "Eidesvei" both read as a name and a road. (The Nordic directions,
 * "Östra", "Nedre", were tried the same way and left out: a typo in one made another street of 170
 * more retypings in sv and in nb in `npm run dedupe:probe`.)
 */
export function countryStreetWord(country: string, word: string): { text: string; kind: 'type' } | null {
  const type = BY_COUNTRY[country]?.find(([suffix]) => suffix === word)?.[1];
  return type === undefined ? null : { text: type, kind: 'type' };
}
