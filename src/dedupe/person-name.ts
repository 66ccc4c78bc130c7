import { arabicCompoundReadings } from './arabic-compound-name';
import { otherPatternOfRoot } from './arabic-name-pattern';
import { isKnownGivenName, twoRecipientGivenNames } from './given-names/known-given-names';
import { editDistance, editSimilarity, jaroWinkler, runsReadOnce, withinOneEdit } from './string-similarity';
import { foldDigraphs, foldedWords, isDenseScript } from './text-folding';
import { generationsDisagree } from './name-generation';

/** Forms of address, left out of names in every language the vocabulary covers. */
const TITLES: ReadonlySet<string> = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'dame',
  'herr',
  'frau',
  'mme',
  'mlle',
  'monsieur',
  'madame',
  'sr',
  'sra',
  'srta',
  'don',
  'dona',
  'pan',
  'pani',
  'sig',
  'sigra',
  'signor',
  'signora',
]);

/** Forms of address that say a man or a woman; the others (Dr, Prof, Mx) say neither. */
const TITLE_GENDER: ReadonlyMap<string, 'man' | 'woman'> = new Map([
  ...['mr', 'sir', 'herr', 'monsieur', 'sr', 'signor', 'pan'].map((title) => [title, 'man'] as const),
  ...[
    'mrs',
    'ms',
    'miss',
    'dame',
    'frau',
    'mme',
    'mlle',
    'madame',
    'sra',
    'srta',
    'dona',
    'signora',
    'sigra',
    'pani',
  ].map((title) => [title, 'woman'] as const),
]);

/**
 * Whether two names are given with forms of address that say another person: "Mr Smith" and "Mrs
 * Smith" at one address are two people, as "John Smith" and "Jane Smith" are. A title on one side
 * only says nothing.
 */
function titlesDisagree(a: string | null | undefined, b: string | null | undefined): boolean {
  const genderOf = (name: string | null | undefined) =>
    new Set(foldedWords(name ?? '').flatMap((word) => TITLE_GENDER.get(word) ?? []));
  const [left, right] = [genderOf(a), genderOf(b)];
  return left.size === 1 && right.size === 1 && [...left][0] !== [...right][0];
}

/** Jaro-Winkler similarity from which two name words are taken for the same (a typo, a variant spelling). */
export const NAME_WORD_THRESHOLD = 0.85;

/**
 * "Don" is a Spanish and Italian title, said before a given name ("Don Juan"), and an English given
 * name (short for Donald): before a family name alone it is the given name ("Don Gelling" is not
 * "Said Gelling"). "Doña", "Sra." and "Dame" stand before a family name as titles and stay titles.
 */
const TITLE_OR_GIVEN_NAME = 'don';

/** The words of a name: folded, titles and initials' dots gone ("Don" as above). */
export function nameWords(name: string | null | undefined): string[] {
  const words = foldedWords(name ?? '');
  const untitled = words.filter((word) => !TITLES.has(word));
  const familyNameAlone = untitled.length === 1 && !isKnownGivenName(untitled[0]);
  return words.filter((word) => !TITLES.has(word) || (word === TITLE_OR_GIVEN_NAME && familyNameAlone));
}

/** Jaro-Winkler of two name words, as written or with transliterations folded ("Mueller", "Müller"), whichever is closer. */
function wordSimilarity(a: string, b: string): number {
  return Math.max(jaroWinkler(a, b), jaroWinkler(foldDigraphs(a), foldDigraphs(b)));
}

/** A word of one letter is an initial ("A. Lovelace"); one Chinese or Japanese character is a whole name (柴). */
function isInitial(word: string): boolean {
  return word.length === 1 && !isDenseScript(word);
}

/** The name's words joined without spaces, in each order (for two or three words): "adalovelace", "lovelaceada". */
function joinings(words: readonly string[]): string[] {
  if (words.length > 3) return [words.join('')];
  const orders: string[][] = words.length <= 1 ? [[...words]] : [];
  if (words.length > 1)
    for (const [index, first] of words.entries())
      for (const rest of joinings(words.filter((_, other) => other !== index))) orders.push([first, rest]);
  return orders.map((order) => order.join(''));
}

/**
 * Whether two recipient names can name the same person, and how alike they are. Names are typed
 * in any order ("Lovelace, Ada"), with initials ("A. Lovelace"), typos and missing spaces, or not
 * at all. Every word of the shorter name must be like a word of the other (Jaro-Winkler, the
 * measure made for names: Winkler 1990, within two typos; see nameWordsPair), or the two must
 * agree with their spaces removed: "Ada
 * Lovelace" and "Charles Babbage" are two people, and so are "Ada Lovelace" and "Byron Lovelace"
 * (a household shares a surname). A missing name, or one of initials only, says nothing.
 */
export function compareNames(a: string | null | undefined, b: string | null | undefined): NameComparison {
  if (titlesDisagree(a, b) || generationsDisagree(a, b)) return { compatible: false, similarity: 0 };
  // A two-word Arabic given name is one name ("عز الدين" is not "عزمي"): each reading of it compared.
  const [wordsA, wordsB] = [nameWords(a), nameWords(b)];
  let best: NameComparison | null = null;
  for (const left of arabicCompoundReadings(wordsA, wordsB))
    for (const right of arabicCompoundReadings(wordsB, wordsA)) {
      const reading = compareNameWords(left, right);
      if (!best || Number(reading.compatible) > Number(best.compatible)) best = reading;
    }
  return best!;
}

type NameComparison = { compatible: boolean; similarity: number | null };

function compareNameWords(left: readonly string[], right: readonly string[]): NameComparison {
  const fullLeft = left.filter((word) => !isInitial(word));
  const fullRight = right.filter((word) => !isInitial(word));
  if (!initialsAgree(left, right)) return { compatible: false, similarity: 0 };
  if (fullLeft.length === 0 || fullRight.length === 0) return { compatible: true, similarity: null };
  // The same words in the same order: what every measure below would conclude, without measuring.
  if (fullLeft.join(' ') === fullRight.join(' ')) return { compatible: true, similarity: 1 };
  // Missing or extra spaces, in any order: "AdaLovelace", "Van der Berg" / "Vanderberg", "内山亮太" / "亮太 内山".
  let joined = 0;
  for (const x of joinings(fullLeft))
    for (const y of joinings(fullRight)) joined = Math.max(joined, editSimilarity(x, y));
  const [shorter, longer] = fullLeft.length <= fullRight.length ? [fullLeft, fullRight] : [fullRight, fullLeft];
  const similarity = Math.max(joined, averageBestMatch(fullLeft, fullRight));
  // Joined spellings only stand for a space lost or added: with as many words on both sides,
  // "Dannie Romaguera-Schumm" and "Davin Romaguera-Schumm" are compared word by word.
  const spacesDiffer = fullLeft.length !== fullRight.length;
  return {
    compatible: everyWordPaired(shorter, longer) || (spacesDiffer && joined >= JOINED_NAME_THRESHOLD),
    similarity: Math.round(similarity * 1000) / 1000,
  };
}

/**
 * Whether each side's initials can stand for the other side's given names: "J. Smith" and "K.
 * Smith" are two people, "J. Smith" and "John Smith" may be one. Each initial takes a word of the
 * other side that it begins (an initial, or a word not alike any of this side's: not the surname,
 * also with a typo); an initial left over disagrees only with a word left over on the other side
 * ("A. B. Smith" may be "Anna Smith", "A. B. Smith" is not "A. C. Smith").
 */
function initialsAgree(left: readonly string[], right: readonly string[]): boolean {
  const stand = (side: readonly string[], other: readonly string[]) => {
    const fullWords = side.filter((word) => !isInitial(word));
    const extras = other.filter(
      (word) => isInitial(word) || !fullWords.some((full) => wordSimilarity(full, word) >= NAME_WORD_THRESHOLD),
    );
    const unmatched = side.filter(isInitial).filter((initial) => {
      const taken = extras.findIndex((word) => word[0] === initial);
      if (taken >= 0) extras.splice(taken, 1);
      return taken < 0;
    });
    return unmatched.length === 0 || extras.length === 0;
  };
  return stand(left, right) && stand(right, left);
}

/**
 * Whether each word of the shorter name is like a word of the longer one, each word of the longer
 * used once ("Евдоким Евдокимов" is not "Исидор Евдокимов": the surname cannot answer for both).
 * Equal words pair first, then the most alike.
 */
function everyWordPaired(shorter: readonly string[], longer: readonly string[]): boolean {
  const free = [...longer];
  const ordered = [...shorter].sort((a, b) => Number(free.includes(b)) - Number(free.includes(a)));
  for (const word of ordered) {
    let best = -1;
    let bestSimilarity = NAME_WORD_THRESHOLD;
    for (const [index, other] of free.entries()) {
      if (otherGender(word, other)) continue;
      const similarity = nameWordsPair(word, other);
      if (similarity >= bestSimilarity) [best, bestSimilarity] = [index, similarity];
    }
    if (best < 0) return false;
    free.splice(best, 1);
  }
  return true;
}

/**
 * Pairs of endings that make a given name's other gender (folded): Mario / Maria, Евгений /
 * Евгения, Γεώργιος / Γεωργία, Παναγιώτης / Παναγιώτα, Παρασκευάς / Παρασκευή, Ευάγγελος /
 * Ευαγγελία. Only pairs of two endings: a name one letter longer (Ivan / Ivana) is as often the
 * last letter dropped by a typo.
 */
const GENDER_PAIRS: ReadonlySet<string> = new Set(
  [
    ['o', 'a'],
    ['и', 'я'],
    ['οσ', 'α'],
    ['οσ', 'η'],
    ['ησ', 'α'],
    ['ησ', 'η'],
    ['ιοσ', 'α'],
    ['ασ', 'η'],
    ['οσ', 'ια'],
  ].flatMap(([x, y]) => [`${x}|${y}`, `${y}|${x}`]),
);

/**
 * Two forms of one given name that say two people: the same stem of three letters or more with
 * the two endings of its genders ("Oleksandr" / "Oleksandra", "Γεώργιος" / "Γεωργία"). A husband
 * and wife share a surname; the given name's ending is what tells them apart.
 */
function otherGender(a: string, b: string): boolean {
  // The last letter typed twice ("Nelaa") is a slip, not the other gender.
  if (a === b || a === b + b.at(-1) || b === a + a.at(-1)) return false;
  let stem = 0;
  while (stem < a.length && stem < b.length && a[stem] === b[stem]) stem++;
  return stem >= 3 && GENDER_PAIRS.has(`${a.slice(stem)}|${b.slice(stem)}`);
}

/**
 * How alike two name words are when they can be one name typed twice, else 0. Jaro-Winkler from
 * NAME_WORD_THRESHOLD, as long as at most MAX_NAME_TYPOS typos tell them apart: its weight on a
 * shared start reads a name and a longer one that starts alike as one ("Alexa" / "Alexandra",
 * "Marc" / "Marceline"), which no two typos make. One typo in a word of five letters or more
 * always pairs ("Lndner" / "Ledner"; Jaro-Winkler is harsh on an early one). Chinese, Japanese and
 * Korean given names are one to three characters, each a word or a syllable: another character is
 * another name (愛 / 愛莉), as in streets (spelling-agreement.ts). Two given names of the published
 * lists never pair when the lists tell them apart, by their first letter too (twoRecipientGivenNames),
 * nor two Arabic names of one root in two patterns, listed or not ("فاكر" / "فكري": otherPatternOfRoot).
 */
function nameWordsPair(a: string, b: string): number {
  if (a === b) return 1;
  if (isDenseScript(a) || isDenseScript(b)) return 0;
  const typed = typedPair(a, b);
  if (typed > 0) return typed;
  const [x, y] = [runsReadOnce(a, THRICE), runsReadOnce(b, THRICE)];
  return x === a && y === b ? 0 : typedPair(x, y);
}

/**
 * No name writes a letter three times running: such a run is a key typed again, twice or held
 * ("לייילי" for "לילי", "Guuustave"), read once before the typos are counted, so that it does not
 * use up the two a name word may carry. Fifteenth round; on tuning seeds 1–3 (3,000 customers a
 * locale): retypings missed en 43 → 42, ar 63 → 60, he 88 → 83, other locales unchanged, false
 * holds unchanged. Tried and left out: every run of one letter read once (a letter typed twice,
 * "תבררו" for "תבור"): 403 → 342 misses in the eight scripts with lists, but other recipients held
 * 77 → 98 ("Sammy" / "Sally", "Анна" / "Жанна", and "Леонтий" / "Леонид" through the folded "ии").
 */
const THRICE = 3;

/** nameWordsPair for two words as written. */
function typedPair(a: string, b: string): number {
  if (a === b) return 1;
  const folded = [foldDigraphs(a), foldDigraphs(b)] as const;
  if (folded[0] !== folded[1] && twoRecipientGivenNames(a, b)) return 0;
  if (otherPatternOfRoot(a, b)) return 0;
  const similarity = wordSimilarity(a, b);
  const typos = a[0] === b[0] || folded[0][0] === folded[1][0] ? MAX_NAME_TYPOS : 1;
  if (similarity >= NAME_WORD_THRESHOLD && Math.min(editDistance(a, b), editDistance(...folded)) <= typos)
    return similarity;
  const oneTypo = Math.max(a.length, b.length) >= 5 && (withinOneEdit(a, b) || withinOneEdit(...folded));
  return oneTypo ? Math.max(similarity, NAME_WORD_THRESHOLD) : 0;
}

/**
 * Typos a name word may carry and still pair (Damerau 1964: most misspellings are one or two
 * edits); one when the first letter differs, as typists seldom get it wrong (Pollock and Zamora
 * 1983): "Валерьян" / "Аверьян", "Larue" / "Clare" are two names (two-typos.ts for streets).
 */
const MAX_NAME_TYPOS = 2;

/** Names with their spaces removed agree from this edit similarity (a typo or two in a long name). */
const JOINED_NAME_THRESHOLD = 0.85;

/** Monge-Elkan: each word of the shorter name against its best match in the other, averaged. */
function averageBestMatch(a: string[], b: string[]): number {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  let sum = 0;
  for (const x of shorter) sum += Math.max(...longer.map((y) => wordSimilarity(x, y)));
  return sum / shorter.length;
}
