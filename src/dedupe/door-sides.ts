// Door sides, Roman numerals and the Dutch ground floor: words that say which door or floor of a
// house is meant, read as atoms of its numbers (street-tokens.ts, street-parts.ts). Found from
// outside (2026-12-05, third round): "2 Esq" and "2 Dto", "12-II" and "12-III" were one address.

/**
 * A door named by its side, by country, as each country's postal convention writes it: Spain
 * ("1º izda", "3º dcha"), Portugal ("2º Esq.", "2º Dto."; in Brazil "esq." is a corner, esquina),
 * Denmark ("2. th.", "2. tv.", "2. mf.": til højre, til venstre, midtfor) and Italy ("int. sx",
 * "int. dx": sinistra, destra). Each country's own: "der" is a German article, "th" an English
 * ordinal ending. The atoms are no word of any street ("doorleft"). A Spanish middle door,
 * "centro", also names streets and squares: it stays a word ("ctro" is "centro").
 */
const DOOR_SIDES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  ES: {
    doorleft: ['izquierda', 'izquierdo', 'izq', 'izqd', 'izda', 'izqda', 'izdo', 'izqdo'],
    doorright: ['derecha', 'derecho', 'dch', 'dcha', 'drcha', 'dcho', 'drcho'],
  },
  PT: {
    doorleft: ['esquerdo', 'esquerda', 'esq', 'esqo', 'esqdo'],
    doorright: ['direito', 'direita', 'dto', 'dt', 'dta', 'dir', 'drt'],
    doorfront: ['frente', 'fte', 'frt'],
  },
  DK: {
    doorleft: ['tv', 'tilvenstre'],
    doorright: ['th', 'tilhojre'],
    doormiddle: ['mf', 'midtfor'],
  },
  IT: {
    doorleft: ['sx', 'sinistra'],
    doorright: ['dx', 'destra'],
  },
};

const SIDE_OF: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map(
  Object.entries(DOOR_SIDES).map(([country, sides]) => [
    country,
    new Map(
      Object.entries(sides).flatMap(([side, spellings]) => spellings.map((spelling) => [spelling, side] as const)),
    ),
  ]),
);

const SIDES: ReadonlySet<string> = new Set(Object.values(DOOR_SIDES).flatMap((sides) => Object.keys(sides)));

/** Danish sides spelled out in two words ("til højre"), made one, as folded tokens are read one by one. */
const TWO_WORD_SIDES = /\b(til)\s+(h[øo]jre|venstre)\b|\b(midt)\s+(for)\b/giu;

/** A segment with the two-word sides of its country written as one word. */
export function withSidesAsOneWord(segment: string, country: string): string {
  return country === 'DK' ? segment.replace(TWO_WORD_SIDES, (phrase) => phrase.replace(/\s+/gu, '')) : segment;
}

/** The door side a folded token names in its country ("izda" → "doorleft"), if any. */
export function doorSide(token: string, country: string): string | undefined {
  if (country === 'ES' && token === 'ctro') return 'centro';
  return SIDE_OF.get(country)?.get(token);
}

/** Whether a token is a door side as read by doorSide: an atom of the house's numbers. */
export function isDoorSide(token: string): boolean {
  return SIDES.has(token);
}

/**
 * The Dutch ground floor, "hs" (huis), is the letter "H" after the house number ("263 hs",
 * "263-H"), as PostNL writes it.
 */
export function dutchGroundFloor(token: string, country: string): string | undefined {
  return country === 'NL' && (token === 'hs' || token === 'huis') ? 'h' : undefined;
}

/**
 * Roman numerals of two letters or more that number a floor or a flat, as their digits: after the
 * house number, apart or by a hyphen or slash ("12-II", "12 II", as the Dutch write the floor), or beside a floor
 * word ("et. III", "II. em.", "piano II"). "12-II" is "12-2", and not "12-III". Any case there
 * ("12-ii"). One letter ("12-V") stays the house's letter. A numeral in a street's name ("Jana
 * Pawła II", "Pio XII") stays a word: read as a number there, a lower-case "ii" or a slip ("IU")
 * was another number (five misses on the Latin stream of issue 12), and not where pinyin is written.
 */
const NUMERAL = '(?=[IVX]{2})X{0,3}(?:IX|IV|V?I{0,3})';
const FLOOR_WORDS = 'et|etaj|em|emelet|piano|p|etage|étage|floor|fl|og|stock|kat|verdieping';
const ROMAN_IN_ITS_ROLE = new RegExp(
  [
    `(?<=\\d\\s*[-/]?\\s*)${NUMERAL}(?![\\p{L}\\p{N}])`,
    `(?<=(?<![\\p{L}])(?:${FLOOR_WORDS})(?:\\.\\s*|\\s+))${NUMERAL}(?![\\p{L}\\p{N}])`,
    `(?<![\\p{L}\\p{N}])${NUMERAL}(?=(?:\\.\\s*|\\s+)(?:${FLOOR_WORDS})(?![\\p{L}]))`,
  ].join('|'),
  'giu',
);
const PINYIN_COUNTRIES: ReadonlySet<string> = new Set(['CN', 'TW', 'HK', 'MO']);
const ROMAN_DIGITS: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10 };

export function romanNumeralsAsDigits(segment: string, country: string): string {
  if (PINYIN_COUNTRIES.has(country)) return segment;
  return segment.replace(ROMAN_IN_ITS_ROLE, (numeral) => String(romanValue(numeral)));
}

function romanValue(numeral: string): number {
  const values = [...numeral.toUpperCase()].map((letter) => ROMAN_DIGITS[letter] ?? 0);
  return values.reduce((sum, value, index) => sum + (value < (values[index + 1] ?? 0) ? -value : value), 0);
}
