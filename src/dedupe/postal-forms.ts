/**
 * Forms of one part of an address that postal services write in several ways, read as one before
 * the street lines are split into words (street-tokens.ts). Found from outside, beyond the evaluated
 * locales (2026-12-05): each retyping below was created as a second order.
 */

/**
 * A post-office box in the forms of USPS Publication 28 (§ 2.8: "PO BOX"; "POB", "P.O. Box", "Post
 * Office Box" as customers write it) and Canada Post's French "case postale" (CP, in Canada only: in
 * Mexico "C.P." is the postcode). Only before its number, so that "Box Street" or a word "Pob" stays.
 */
const PO_BOX =
  /(?<![\p{L}\p{N}])(?:p\.?\s*o\.?\s*b(?:ox)?\.?|post(?:al)?\s+office\s+box|pobox)(?=\s*(?:no\.?|#)?\s*\d)/giu;
const CANADIAN_CASE_POSTALE = /(?<![\p{L}\p{N}])(?:c\.?\s*p\.?|case\s+postale)(?=\s*\d)/giu;

/** "P.O. Box 123", "POB 123", "Post Office Box 123" → "POBox 123": one word, which no street name is. */
export function withPostOfficeBox(segment: string, country: string): string {
  const boxed = segment.replace(PO_BOX, ' POBox ');
  return country === 'CA' ? boxed.replace(CANADIAN_CASE_POSTALE, ' POBox ') : boxed;
}

/**
 * "#05-67" in Singapore is floor 5, unit 67 (SingPost's unit number), on line 1 or 2; and "Blk 123",
 * an HDB block, is the address's number: SingPost writes "Blk 123 Ang Mo Kio Ave 3" and "123 Ang
 * Mo Kio Avenue 3" for one building. Elsewhere a block stays a unit word ("Blk 5 Lot 12").
 */
export function withSingaporeUnits(segment: string, country: string): string {
  if (country !== 'SG') return segment;
  return segment
    .replace(/#\s*(\d+)\s*-\s*(\d+[a-z]?)(?![\p{L}\p{N}])/giu, ' level $1 unit $2 ')
    .replace(/(?<![\p{L}\p{N}])(?:blk|block)\.?(?=\s*\d)/giu, ' ');
}

/**
 * Abbreviations that are a word in one country only: Polish "osiedle" (a housing estate) is "os.",
 * as written more often (read the other way, a typo in "os." made another street); Pakistani "H"
 * (written "H#", "H.No.") is house; Vietnam Post's "P." and "Q." are phường (ward) and quận
 * (district). Not "Đường" (street): folded, it is the family name Dương. A Mexican interior number
 * ("Int. 5", the flat at "No. Ext. 1234") is a unit, also moved to line 1 (in every country, "int"
 * cost Italian, Turkish and Indonesian retypings in dedupe:probe). Folded words.
 */
const COUNTRY_WORDS: Readonly<Record<string, ReadonlyMap<string, string>>> = {
  PL: new Map([['osiedle', 'os']]),
  PK: new Map([['h', 'house']]),
  MX: new Map([
    ['int', 'unit'],
    ['interior', 'unit'],
  ]),
  VN: new Map([
    ['p', 'phuong'],
    ['q', 'quan'],
  ]),
};

/** The word a country's abbreviation stands for, else the word. */
export function countryWord(token: string, country: string): string {
  return COUNTRY_WORDS[country]?.get(token) ?? token;
}
