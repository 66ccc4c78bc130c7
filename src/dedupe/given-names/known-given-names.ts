import { withinOneEdit } from '../string-similarity';
import { foldedWords } from '../text-folding';
import { givenNameLists } from './given-name-lists';

interface GivenNames {
  /** Every listed given name. */
  known: ReadonlySet<string>;
  /** The names of the short lists of common names (given-name-lists.ts). */
  common: ReadonlySet<string>;
}

let lists: GivenNames | undefined;

/** The listed given names of one word, folded as name words are (text-folding.ts); read on first use. */
function givenNames(): GivenNames {
  if (!lists) {
    const known = new Set<string>();
    const common = new Set<string>();
    for (const list of givenNameLists())
      for (const name of list.names) {
        const words = foldedWords(name);
        if (words.length !== 1) continue;
        known.add(words[0]);
        if (list.common) common.add(words[0]);
      }
    lists = { known, common };
  }
  return lists;
}

/**
 * Reads and folds the lists now (104,200 names: 0.7 s on this busy 2-core machine) instead of at the
 * first two names compared: main.ts calls it before serving, so no order waits for it.
 */
export function preloadGivenNames(): void {
  givenNames();
}

/** Whether a folded name word is a given name some published list knows. */
export function isKnownGivenName(word: string): boolean {
  return givenNames().known.has(word);
}

/**
 * Two folded name words that are two given names, not one typed twice: both listed and two edits
 * apart or more ("Milena" / "Mila", "Marian" / "Marta", "Леонид" / "Леон", "فاخر" / "فخري"), or both
 * common names with one letter put for another ("Устина" / "Юстина", "رشاد" / "رشيد", "אילן" /
 * "איתן"). An edit distance cannot tell a typo from another real name; knowing both are names can,
 * at the price of a typo that happens to make another listed name. The slips that most often do —
 * a letter dropped or added, doubled or undoubled, two neighbours swapped ("Corrine" / "Corrinne",
 * "Helena" / "Helen", "Nela" / "Neal") — are still forgiven, and so is one letter put for another
 * between names of the long lists, dense with one-letter spellings ("Bailey" / "Bailei"). A
 * Slavic name and its feminine form ("Ростислав" / "Ростислава") stay one person, and so do two
 * Arabic or Hebrew names a long-vowel letter apart ("فراس" / "فارس", "מיכל" / "מיכאל"): on the
 * tuning seeds, a last "а" or a vowel letter dropped by a typo made more misses than either rule
 * saved false holds.
 */
export function twoGivenNames(a: string, b: string): boolean {
  if (a === b) return false;
  const { known, common } = givenNames();
  if (!known.has(a) || !known.has(b)) return false;
  if (!withinOneEdit(a, b)) return true;
  return common.has(a) && common.has(b) && !oneSlip(a, b);
}

/**
 * Two folded words of a recipient's name that are two given names: as twoGivenNames, and also any
 * two listed names whose first letters differ (one edit apart, the case that matters: a first
 * letter put for another, dropped or added), in any list ("Hanna" / "Janna", "Joris" / "Loris", "Anja" / "Sanja", "Братимир" /
 * "Ратимир", "Влада" / "Лада"). Typists seldom get a word's first letter wrong (Pollock and Zamora
 * 1984, in Kukich's 1992 survey of spelling correction): spelling codes such as Soundex keep it as
 * written, and one typo in a street must keep it (street-words.ts). On tuning seeds 1–3 (10,000
 * customers a locale) this told 25 more other recipients of one surname apart in de and uk, 26 in
 * ar, en, fr, he and ru, and missed no retyping more. House and street words keep twoGivenNames:
 * there, a numbered street's left-over words two edits apart are read as one name typed twice, and
 * two names told apart by their first letter ("Riley" / "Kiley") fell to that reading instead of
 * naming another street (one more false hold in en on seed 2).
 * Tried on the same seeds and left out: a Slavic given name and its feminine form ("Мирослав" /
 * "Мирослава", uk 43 → 24 for 16 more misses, a last "а" dropped by a typo) and one letter put for
 * another between two names of the German list (de 78 → 71 for 5 more misses). Fifteenth round, on
 * tuning seeds 1–3 at 3,000 customers a locale, also left out: one letter put for another whose
 * key does not touch it (keyboard-neighbours.ts) between two listed names of any list ("Lyla" /
 * "Lyle", "Sofie" / "Sofia"): other recipients held 77 → 68, but retypings missed en 43 → 57, de
 * 35 → 56, fr 56 → 75, he 95 → 106, the long Latin lists being dense with names one
 * letter from a typo ("Bailey" / "Bailei", "Anne" / "Anna", and family names that are given names
 * too: "Silva" / "Silia"); and two listed names of which gender-detection-from-name gives one
 * gender each, not the same ("Carl" / "Cara", "Nila" / "Nils"): en, de and fr other recipients
 * 38 → 30, retypings missed 134 → 220 ("Sabine" / "Sabin", "Janek" / "Jane", "Celine" / "Celien").
 */
export function twoRecipientGivenNames(a: string, b: string): boolean {
  if (twoGivenNames(a, b)) return true;
  return a[0] !== b[0] && isKnownGivenName(a) && isKnownGivenName(b);
}

/** One letter dropped or added (also a doubled one), or two neighbours swapped: not a letter put for another. */
function oneSlip(a: string, b: string): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < shorter.length && shorter[i] === longer[i]) i++;
  if (longer.length - shorter.length === 1) return shorter.slice(i) === longer.slice(i + 1);
  if (a.length !== b.length || i + 1 >= a.length) return false;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
