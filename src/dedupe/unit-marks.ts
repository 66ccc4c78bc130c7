/** Countries that write a flat and its house as "4/12" (flat 4 at no. 12), and as "12/4" (no. 12, flat 4). */
const FLAT_BEFORE_SLASH: ReadonlySet<string> = new Set(['AU', 'NZ']);
const FLAT_AFTER_SLASH: ReadonlySet<string> = new Set(['PL', 'CZ', 'SK']);
/** Two numbers around a slash, alone: "4/12", "12a/4"; not a part of a longer run ("1/2/3", "12/4b5"). */
const SLASHED_NUMBERS = /(?<![\p{L}\p{N}/])(\d+[a-z]?)\s*\/\s*(\d+[a-z]?)(?![\p{L}\p{N}/])/iu;

/**
 * Marks of a flat written without a unit word, as the unit word "unit": "Main St #4", "#4" alone,
 * "Apt #4" (US and Canadian forms; "#12 Main St", which opens the line, numbers the house), and
 * the slashed pair of the countries above. Read as a set, "12 Main St #4" and "4 Main St #12"
 * were one address, and so were "4/12" and "12/4 Smith Street".
 */
export function withUnitWords(segment: string, country: string): string {
  const opensWithHouse = /^\s*#/u.test(segment) && !/^\s*#\s*[\p{L}\p{N}]+\s*$/u.test(segment);
  // Pakistan: "H# 12, St# 5" is house 12, street 5: a "#" glued to a word is its number sign, not
  // a flat (in the US "Main St#4" is flat 4).
  const numbered = country !== 'PK' ? segment : segment.replace(/(\p{L})\.?#\s*(?=\p{N})/gu, '$1 ');
  // India: "#12, 3rd Cross" is door no. 12, a flat is a "Flat": "#" is the number sign, whatever follows it.
  if (country === 'IN') return numbered.replace(/#\s*(?=\p{N})/gu, ' ');
  const marked = opensWithHouse ? numbered : numbered.replace(/#\s*(?=[\p{L}\p{N}])/gu, ' unit ');
  if (FLAT_BEFORE_SLASH.has(country)) return marked.replace(SLASHED_NUMBERS, 'unit $1 $2');
  if (FLAT_AFTER_SLASH.has(country)) return marked.replace(SLASHED_NUMBERS, '$1 unit $2');
  return marked;
}
