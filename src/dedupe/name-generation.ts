import { foldedWords } from './text-folding';

/** Generational suffixes closing a name ("John Smith Jr.", "John Smith III"), by the generation they say. */
const GENERATIONS: ReadonlyMap<string, string> = new Map([
  ['jr', 'junior'],
  ['junior', 'junior'],
  ['sr', 'senior'],
  ['senior', 'senior'],
  ['ii', 'ii'],
  ['iii', 'iii'],
  ['iv', 'iv'],
]);

/**
 * Whether both names close with a generation and they differ: "John Smith Sr." and "John Smith
 * Jr." are father and son at one address. A suffix on one side only says nothing (it is dropped
 * as often as written), so the rule's hold stands. Found from outside (stop 38).
 */
export function generationsDisagree(a: string | null | undefined, b: string | null | undefined): boolean {
  const generationOf = (name: string | null | undefined) => {
    const words = foldedWords(name ?? '');
    return words.length >= 3 ? GENERATIONS.get(words[words.length - 1]) : undefined;
  };
  const [left, right] = [generationOf(a), generationOf(b)];
  return left !== undefined && right !== undefined && left !== right;
}
