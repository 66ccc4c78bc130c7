import {
  COMPOUND_SUFFIXES,
  PREFIX_TYPES,
  DESIGNATORS,
  EITHER_SIDE_DESIGNATORS,
  LONG_WORDS,
  unitDesignator,
  vocabularyEntry,
} from './address-vocabulary';
import type { WordKind } from './address-vocabulary';
import { typoDistance, withinOneEdit } from './string-similarity';

/** A street or city word with its abbreviation resolved. */
export interface ResolvedWord {
  /** The canonical spelling ("st." → "street"), or the word itself. */
  text: string;
  /** A street type or a direction; `name` for anything else. */
  kind: WordKind | 'name';
}

/** Bound of each memo below (spellings); a memo is emptied when full. Streets and cities repeat across orders. */
const MEMO_LIMIT = 50_000;

/** A function of one word, remembered for the last `limit` words (MEMO_LIMIT unless told). */
export function memoised<T>(compute: (word: string) => T, limit = MEMO_LIMIT): (word: string) => T {
  const memo = new Map<string, T>();
  return (word) => {
    if (memo.has(word)) return memo.get(word)!;
    const value = compute(word);
    if (memo.size >= limit) memo.clear();
    memo.set(word, value);
    return value;
  };
}

/**
 * Resolves one folded word, both ways: an abbreviation ("Ave", "Str") and the spelled-out word
 * ("Avenue", "Straße") give the same canonical word, and so does a spelled-out word with one typo
 * ("Avenu", "Stret").
 */
export const resolveWord = memoised((word: string): ResolvedWord => {
  const entry = vocabularyEntry(word) ?? vocabularyEntry(misspelledLongWord(word) ?? '');
  return entry ? { text: entry.canonical, kind: entry.kind } : { text: word, kind: 'name' };
});

/** What a vocabulary word stands for: its canonical word and kind, or a unit or noise word as itself. */
function meaningOf(word: string): string {
  const entry = vocabularyEntry(word);
  return entry ? `${entry.kind}:${entry.canonical}` : unitDesignator(word) ? 'unit' : word;
}

/**
 * The vocabulary word (5+ letters) this word is one edit away from, when all such words mean the
 * same ("северны" is one edit from "северный" and "северные", both north; "strase" from "strasse").
 * Its first letter must be right: typists rarely get a word's first letter wrong (Pollock and
 * Zamora 1983), and a name one edit from a type ("Klein", "plein") is a name.
 */
export const misspelledLongWord = memoised((word: string): string | null => {
  if (word.length < 5) return null;
  let found: string | null = null;
  for (const candidate of LONG_WORDS) {
    if (candidate[0] !== word[0] || !withinOneEdit(candidate, word)) continue;
    if (found !== null && meaningOf(found) !== meaningOf(candidate)) return null;
    found ??= candidate;
  }
  return found;
});

/**
 * `word` is `spelling` typed with one typo, its first letter right, as misspelledLongWord reads
 * longer words: "Nrod" is "Nord" (north), "Ford" and "Lord" are names, and so is "كمال" (a given
 * name and street name) beside "شمال" (north). A direction read out of a name made another
 * direction on one side, or hid one said on the other ("North Stehr Ford" / "SStehr Ford").
 */
export function typedFor(word: string, spelling: string): boolean {
  return word[0] === spelling[0] && withinOneEdit(word, spelling);
}

/** Articles and prepositions of street names, never a unit word with a typo ("Calle de A…"). */
const PARTICLES: ReadonlySet<string> = new Set([
  'de',
  'la',
  'le',
  'du',
  'da',
  'di',
  'do',
  'el',
  'al',
  'lo',
  'of',
  'am',
  'an',
  'im',
  'zu',
  'op',
  'en',
]);

/**
 * The unit designator a word stands for before an identifier: as spelled, or with one typo
 * ("Aprtment", "Aptt", "Fla", "Bt", "Set" for "Ste"). The caller only asks before a number or a
 * lone letter: "Set 820" is Suite 820, "Set Street" is not. A street type one edit from a
 * designator ("Pza", "Pta") stays the street type.
 */
export const designatorOf = memoised((word: string): { always: boolean } | undefined => {
  const exact = unitDesignator(word);
  if (exact) return exact;
  if (word.length < 2 || vocabularyEntry(word) || PARTICLES.has(word)) return undefined;
  // Any designator one edit away will do ("Aptt" is near both "Apt" and "Appt", "Apartement" near two more).
  const near = DESIGNATORS.find((candidate) => withinOneEdit(candidate, word));
  return near ? unitDesignator(near) : undefined;
});

/**
 * A unit word of either side with one typo, its first letter right ("דדרה" for "דירה"). The caller
 * asks only of a segment that is that word and a number ("דדרה 59, …"): elsewhere a word one edit
 * from a unit word is a name ("עמار" near "عمارة", "טירה" near "דירה").
 */
export const mistypedEitherSideUnit = memoised((word: string): boolean =>
  EITHER_SIDE_DESIGNATORS.some((candidate) => typedFor(word, candidate)),
);

/** Unit words spelled out in six letters or more ("apartment", "wohnung", "квартира"), which two typos leave readable. */
const LONG_DESIGNATORS: readonly string[] = [...DESIGNATORS, ...EITHER_SIDE_DESIGNATORS].filter(
  (word) => word.length >= 6,
);

/**
 * A unit word spelled out, with up to two typos and its first letter right ("Wonun" for "Wohnung").
 * The caller asks only of a segment that is that word and a number, where the flat stands when it
 * is moved to line 1 ("Wohnung 277, Düppeler Str. 144"): there a long unit word typed with two
 * typos is still one, as a street word of five letters or more may carry two (two-typos.ts).
 */
export const mistypedSpelledOutUnit = memoised(
  (word: string): boolean =>
    word.length >= 4 &&
    LONG_DESIGNATORS.some((candidate) => candidate[0] === word[0] && typoDistance(candidate, word) <= 2),
);

/**
 * A street word that carries its type ("hauptstrasse", "marktpl", and with a space lost,
 * "beechtce", "oakrd") split into its name and type; null when it carries none. A typo in a long
 * suffix is forgiven ("hauptstrase", "jagerplstz").
 */
export const splitCompound = memoised((word: string): { stem: string; type: string; strong: boolean } | null => {
  for (const [suffix, canonical] of COMPOUND_SUFFIXES) {
    const cut = suffixLength(word, suffix);
    // A two-letter ending ("-st", "-rd") may just end the name ("Forest", "Harvard"): a weak type.
    if (cut !== null) return { stem: word.slice(0, -cut), type: canonical, strong: suffix.length >= 3 };
  }
  return null;
});

/**
 * German "-str." with a typo ("Jägertr", "Lindensrr", "Lessingtsr"): read only in German-speaking
 * countries, where it is the usual abbreviation, and as a weak type (it may be a name's ending).
 */
export const splitGermanStreet = memoised((word: string): { stem: string; type: string; strong: boolean } | null => {
  for (const length of [2, 3, 4]) {
    if (word.length >= length + 3 && withinOneEdit(word.slice(-length), 'str'))
      return { stem: word.slice(0, -length), type: 'street', strong: false };
  }
  return null;
});

/** How many letters of `word` the suffix takes (exactly, or with one typo when five letters or longer), or null. */
function suffixLength(word: string, suffix: string): number | null {
  if (word.length < suffix.length + 3) return null;
  if (word.endsWith(suffix)) return suffix.length;
  if (suffix.length < 5) return null;
  for (const length of [suffix.length - 1, suffix.length, suffix.length + 1]) {
    if (word.length >= length + 3 && withinOneEdit(word.slice(-length), suffix)) return length;
  }
  return null;
}

/**
 * A street type glued before the name by a lost space, in the scripts whose types come first
 * ("πλατείακαλάρη", "ΠΑΡΟΔΟΣΓΛΥΚΥ", "улицаленина"): the type spelled out (four letters or more;
 * from five, also with one typo, its first letter right) and a name of three letters or more.
 * Not in Latin script, where a name often starts like a type ("Courtney", "Mountview").
 */
export const splitPrefixType = memoised((word: string): { type: string; stem: string } | null => {
  if (/^[a-z]*$/.test(word)) return null;
  for (const [spelling, canonical] of PREFIX_TYPES)
    if (word.startsWith(spelling) && word.length - spelling.length >= 3)
      return { type: canonical, stem: word.slice(spelling.length) };
  for (const [spelling, canonical] of PREFIX_TYPES) {
    if (spelling.length < 5 || word[0] !== spelling[0]) continue;
    // A letter added, dropped or mistyped in the type ("παροδοοσ", "πλατεα", "πλατπια").
    for (const length of [spelling.length + 1, spelling.length - 1, spelling.length]) {
      if (word.length - length >= 3 && withinOneEdit(word.slice(0, length), spelling))
        return { type: canonical, stem: word.slice(length) };
    }
  }
  return null;
});
