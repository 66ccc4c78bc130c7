import fc from 'fast-check';
import { editDistance, editSimilarity, jaroWinkler } from '../../src/dedupe/string-similarity';

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

  it('scores names with Jaro-Winkler', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('ada', '')).toBe(0);
    expect(jaroWinkler('lovelace', 'babbage')).toBeLessThan(0.6);
  });
});
