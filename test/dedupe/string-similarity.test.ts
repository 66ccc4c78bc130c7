import fc from 'fast-check';
import {
  editDistance,
  editSimilarity,
  jaroWinkler,
  typoDistance,
  withinOneEdit,
} from '../../src/dedupe/string-similarity';

/** Optimal string alignment distance, written out: the reference the package must agree with. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + cost);
    }
  }
  return d[a.length][b.length];
}

describe('string measures', () => {
  it('counts each of Damerau’s four single errors as one edit', () => {
    expect(editDistance('baker', 'bakr')).toBe(1);
    expect(editDistance('baker', 'bakker')).toBe(1);
    expect(editDistance('baker', 'bkaer')).toBe(1);
    expect(editDistance('baker', 'bajer')).toBe(1);
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(editSimilarity('', '')).toBe(1);
    expect(editSimilarity('lipowa', 'lipwa')).toBeCloseTo(5 / 6, 9);
  });

  it('agrees with the reference distance on thousands of random pairs, one call after another', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcdefgh'), maxLength: 16 });
    fc.assert(
      fc.property(word, word, (a, b) => editDistance(a, b) === referenceDistance(a, b)),
      { numRuns: 5_000, seed: 12 },
    );
  });

  it('answers "one edit or none" as the full distance does, on near and far random pairs', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcd'), maxLength: 7 });
    // Near pairs: a word and the same word with one random edit, so that every branch is taken.
    const edited = word.chain((a) =>
      fc.tuple(fc.constant(a), fc.nat(8), fc.constantFrom(...'abcd'), fc.nat(3)).map(([text, at, letter, kind]) => {
        const i = text.length === 0 ? 0 : at % text.length;
        const b =
          kind === 0
            ? text.slice(0, i) + text.slice(i + 1)
            : kind === 1
              ? text.slice(0, i) + letter + text.slice(i)
              : kind === 2
                ? text.slice(0, i) + letter + text.slice(i + 1)
                : text.slice(0, i) + text.slice(i + 1, i + 2) + text.slice(i, i + 1) + text.slice(i + 2);
        return [text, b] as const;
      }),
    );
    const agrees = (a: string, b: string) => withinOneEdit(a, b) === referenceDistance(a, b) <= 1;
    fc.assert(fc.property(word, word, agrees), { numRuns: 5_000, seed: 17 });
    fc.assert(
      fc.property(edited, ([a, b]) => agrees(a, b) && agrees(b, a)),
      { numRuns: 5_000, seed: 18 },
    );
    expect(withinOneEdit('abcd', 'acbd')).toBe(true);
    expect(withinOneEdit('abcd', 'badc')).toBe(false);
  });

  it('counts typos next to each other as the typos they are (unrestricted Damerau-Levenshtein)', () => {
    expect(typoDistance('ca', 'abc')).toBe(2); // swapped, then a letter added between: three in the OSA count
    expect(typoDistance('больнич', 'болиьч')).toBe(2);
    expect(editDistance('больнич', 'болиьч')).toBe(3);
    expect(typoDistance('ростов', 'покров')).toBe(3);
    expect(typoDistance('', 'abc')).toBe(3);
    expect(typoDistance('kitten', 'sitting')).toBe(3);
    // Two random typos, each one of Damerau's four errors, are never counted as more than two,
    // and the count never exceeds the optimal string alignment's, nor depends on the order.
    const word = fc.string({ unit: fc.constantFrom(...'abcd'), maxLength: 8 });
    const typo = (text: string, at: number, letter: string, kind: number) => {
      const i = text.length === 0 ? 0 : at % text.length;
      if (kind === 0) return text.slice(0, i) + text.slice(i + 1);
      if (kind === 1) return text.slice(0, i) + letter + text.slice(i);
      if (kind === 2) return text.slice(0, i) + letter + text.slice(i + 1);
      return text.slice(0, i) + text.slice(i + 1, i + 2) + text.slice(i, i + 1) + text.slice(i + 2);
    };
    const edit = fc.tuple(fc.nat(9), fc.constantFrom(...'abcd'), fc.nat(3));
    fc.assert(
      fc.property(word, edit, edit, (a, [at1, l1, k1], [at2, l2, k2]) => {
        const b = typo(typo(a, at1, l1, k1), at2, l2, k2);
        return typoDistance(a, b) <= 2 && typoDistance(a, b) === typoDistance(b, a);
      }),
      { numRuns: 5_000, seed: 21 },
    );
    fc.assert(
      fc.property(word, word, (a, b) => typoDistance(a, b) <= editDistance(a, b)),
      { numRuns: 5_000, seed: 22 },
    );
  });

  it('scores names with Jaro-Winkler', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('ada', '')).toBe(0);
    expect(jaroWinkler('lovelace', 'babbage')).toBeLessThan(0.6);
  });
});
