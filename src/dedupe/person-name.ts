import { jaroWinkler } from './string-similarity';
import { foldDigraphs, foldedWords } from './text-folding';

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

/** Jaro-Winkler similarity from which two name words are taken for the same (a typo, a variant spelling). */
export const NAME_WORD_THRESHOLD = 0.85;

/** The words of a name: folded, titles and initials' dots gone. */
export function nameWords(name: string | null | undefined): string[] {
  return foldedWords(name ?? '').filter((word) => !TITLES.has(word));
}

/** Jaro-Winkler of two name words, as written or with transliterations folded ("Mueller", "Müller"), whichever is closer. */
function wordSimilarity(a: string, b: string): number {
  return Math.max(jaroWinkler(a, b), jaroWinkler(foldDigraphs(a), foldDigraphs(b)));
}

/**
 * Whether two recipient names can name the same person, and how alike they are. Names are typed
 * in any order ("Lovelace, Ada"), with initials ("A. Lovelace"), typos and missing spaces, or not
 * at all: they only tell two orders apart when both are given and not one word of the one is like
 * a word of the other (Jaro-Winkler, the measure made for names: Winkler 1990) — a parcel for
 * someone else. A missing name says nothing.
 */
export function compareNames(
  a: string | null | undefined,
  b: string | null | undefined,
): { compatible: boolean; similarity: number | null } {
  const left = nameWords(a);
  const right = nameWords(b);
  const fullLeft = left.filter((word) => word.length > 1);
  const fullRight = right.filter((word) => word.length > 1);
  if (fullLeft.length === 0 || fullRight.length === 0) return { compatible: true, similarity: null };
  let best = 0;
  for (const x of fullLeft) for (const y of fullRight) best = Math.max(best, wordSimilarity(x, y));
  // Missing or extra spaces: "AdaLovelace", "Van der Berg" / "Vanderberg".
  const joined = Math.max(
    wordSimilarity(fullLeft.join(''), fullRight.join('')),
    wordSimilarity([...fullLeft].sort().join(''), [...fullRight].sort().join('')),
  );
  const similarity = Math.max(joined, averageBestMatch(fullLeft, fullRight));
  return {
    compatible: best >= NAME_WORD_THRESHOLD || joined >= NAME_WORD_THRESHOLD,
    similarity: Math.round(similarity * 1000) / 1000,
  };
}

/** Monge-Elkan: each word of the shorter name against its best match in the other, averaged. */
function averageBestMatch(a: string[], b: string[]): number {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  let sum = 0;
  for (const x of shorter) sum += Math.max(...longer.map((y) => wordSimilarity(x, y)));
  return sum / shorter.length;
}
