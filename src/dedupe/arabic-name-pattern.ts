import { isKnownGivenName } from './given-names/known-given-names';
import { editDistance, runsReadOnce } from './string-similarity';

/**
 * Arabic given names are built from a root of consonants set in a pattern of long vowels: Kāmil
 * (كامل) and Kamāl (كمال), Rāmiz (رامز) and Ramzī (رمزي), ʿĀdil (عادل) and ʿAdlī (عدلي), Sālim
 * (سالم) and Salāma (سلامة) are four pairs of names of one root each. In writing, the pattern shows
 * only in the long-vowel letters — alef, waw and ya — and a closing ta marbuta (folded to ه).
 */

/** Long-vowel letters (folded: hamza seats are alef, alef maqsura is ya). */
const VOWEL_LETTERS = /[اوي]/gu;
const ARABIC_WORD = /^\p{sc=Arabic}+$/u;
/** The definite article: a family name (a nisba, الشتيوي), not a given name of a pattern. */
const ARTICLE = 'ال';

/** A letter typed twice is a slip, not a pattern: runs of one letter count once. */
const collapsed = (word: string) => runsReadOnce(word);

/**
 * The consonants of a folded Arabic word, its root letters: the first letter (a word opens with a
 * consonant: waw in وصفي is one), then the rest without long-vowel letters and a closing ta marbuta.
 * Roughly: a waw or ya inside may be a root consonant too, and both sides lose it alike.
 */
const skeleton = (word: string) => word[0] + word.slice(1).replace(/ه$/u, '').replace(VOWEL_LETTERS, '');

/**
 * Two folded Arabic name words that are two patterns of one root, not one name typed twice: the
 * same three or four consonants in the same order, with the long-vowel letters set differently,
 * two edits apart or more as typed and with doubled letters read once ("فاكر" / "فكري", "عادل" /
 * "عدلي"), one of them a given name of the lists (given-names/) and neither carrying the article.
 * One edit apart ("كامل" / "كمال", two neighbours swapped; "مسعد" / "مسعود", a letter dropped)
 * stays a typo: on the tuning seeds that slip was far more often a retyping than the other name.
 * Family names, which carry more than a root or the article (القلشاني, الشتيوي) or are on no list
 * (جاوحدو), are left to the edit distance: two typos in them made the same shapes.
 */
export function otherPatternOfRoot(a: string, b: string): boolean {
  if (!ARABIC_WORD.test(a) || !ARABIC_WORD.test(b) || a.startsWith(ARTICLE) || b.startsWith(ARTICLE)) return false;
  if (!isKnownGivenName(a) && !isKnownGivenName(b)) return false;
  const [x, y] = [collapsed(a), collapsed(b)];
  const root = skeleton(x);
  return (
    x !== y &&
    root === skeleton(y) &&
    root.length >= 3 &&
    root.length <= 4 &&
    editDistance(a, b) >= 2 &&
    editDistance(x, y) >= 2
  );
}
