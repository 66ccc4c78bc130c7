// Words that give a number its role in one country's addresses, written as one unit word each
// (street-tokens.ts), so that each number is compared in its role (address-comparison.ts). Found
// from outside (2026-12-05, third round): "RT 03/RW 05" and "RT 05/RW 03", "3rd Cross, 5th Main"
// and "5th Cross, 3rd Main" were one address; "D:5" and "Daire 5" two.

/**
 * The unit words these are written as: an Indonesian neighbourhood (rukun tetangga) and its ward
 * (rukun warga); a Turkish flat (daire) and floor (kat); a Bangalore cross road and main road; a
 * Spanish entrance (portal). Read as unit words before their number (address-vocabulary.ts), and
 * spelled as no street's word, so that only their country reads them: "Port 140", "Crossroad 209"
 * and "Kat 5" elsewhere are a street and its house.
 */
export const ROLE_UNIT_WORDS: readonly string[] = ['idrt', 'idrw', 'trdaire', 'trkat', 'incross', 'inmain', 'esportal'];

/**
 * By country, as its postal convention abbreviates them: Indonesia's "RT 03", "RW 05" (also
 * "RT.03", "RT03"); Turkey's "D:5", "D.5", "Daire: 5", "K:3", "Kat 3" (a letter alone only with
 * its colon or full stop); India's "3rd Cross", "5th Main" (with the ordinal: "12 Main Road" is a
 * house on Main Road); Spain's "portal 2", "port. 2".
 */
const ROLE_WORDS: Readonly<Record<string, readonly [RegExp, (...groups: string[]) => string][]>> = {
  ID: [
    [/(?<![\p{L}\p{N}])RT\.?\s*(?=\d)/giu, () => ' idrt '],
    [/(?<![\p{L}\p{N}])RW\.?\s*(?=\d)/giu, () => ' idrw '],
  ],
  TR: [
    [/(?<![\p{L}\p{N}])(?:D\s*[:.]|Daire\s*[:.]?)\s*(?=\d)/giu, () => ' trdaire '],
    [/(?<![\p{L}\p{N}])(?:K\s*[:.]|Kat\s*[:.]?)\s*(?=\d)/giu, () => ' trkat '],
  ],
  ES: [[/(?<![\p{L}\p{N}])port(?:al)?\.?\s*(?=\d)/giu, () => ' esportal ']],
  IN: [
    [
      /(?<![\p{L}\p{N}])(\d+)\s*(?:st|nd|rd|th)\.?\s+(cross|main)(?![\p{L}\p{N}])/giu,
      (_match, digits, road) => ` in${road.toLowerCase()} ${digits} `,
    ],
  ],
};

/** A segment with its country's words of a number's role written as unit words ("RT 03" → "idrt 03"). */
export function withRoleWords(segment: string, country: string): string {
  return (ROLE_WORDS[country] ?? []).reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement),
    segment,
  );
}
