import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateMatcher } from '../fixtures/evaluate-matcher';
import { formatEvaluation } from '../fixtures/evaluation-report';
import { generateOrderStream, HARD_NEGATIVE_KINDS } from '../fixtures/order-stream';

/** The targets of issue 12, not what the matcher happens to reach. */
const TARGET_RECALL = 0.995;
const TARGET_FALSE_POSITIVE_RATE = 0.0001;
const FIXTURES = path.join(__dirname, '..', 'fixtures');

describe('matcher accuracy on an independent, labelled stream (npm run dedupe:evaluate runs the full one)', () => {
  const stream = generateOrderStream({ seed: 20_261_130, size: 40_000 });
  const evaluation = evaluateMatcher(stream);

  it('finds at least 99.5 % of true duplicates at a false-positive rate under 0.01 %', () => {
    console.log(`matcher accuracy (seed 20261130, 40,000 orders)\n${formatEvaluation(evaluation)}`);
    expect(evaluation.recall.value).toBeGreaterThanOrEqual(TARGET_RECALL);
    expect(evaluation.falsePositiveRate.value).toBeLessThan(TARGET_FALSE_POSITIVE_RATE);
  });

  it('measures on a stream where every kind of error and of hard negative is present in numbers', () => {
    const counts = new Map(evaluation.table.map((row) => [row.variation, row.orders]));
    expect(evaluation.trueDuplicates).toBeGreaterThan(2_500);
    for (const kind of HARD_NEGATIVE_KINDS) expect(counts.get(kind)).toBeGreaterThan(400);
    for (const typo of ['deletion', 'insertion', 'doubling', 'substitution', 'transposition']) {
      for (const field of ['street', 'city', 'name']) expect(counts.get(`typo:${typo}@${field}`)).toBeGreaterThan(25);
    }
    for (const variation of [
      'abbreviation',
      'unit-format',
      'unit-moved',
      'case',
      'whitespace',
      'punctuation',
      'diacritics:stripped',
      'diacritics:transliterated',
      'postcode:format',
      'postcode:missing',
      'name:swapped',
      'name:initial',
      'exact',
    ]) {
      expect(counts.get(variation)).toBeGreaterThan(50);
    }
  });

  it('reports its rates with 95 % Wilson intervals', () => {
    const { recall, falsePositiveRate } = evaluation;
    expect(recall.low).toBeLessThanOrEqual(recall.value);
    expect(recall.high).toBeGreaterThanOrEqual(recall.value);
    expect(recall.high - recall.low).toBeLessThan(0.01);
    expect(falsePositiveRate.high).toBeGreaterThan(0);
  });

  it('is generated independently of the matcher: the generator imports nothing of src/', () => {
    const generatorFiles = readdirSync(FIXTURES).filter(
      (file) => file.endsWith('.ts') && file !== 'evaluate-matcher.ts',
    );
    expect(generatorFiles).toEqual(expect.arrayContaining(['order-stream.ts', 'typing-errors.ts', 'address-book.ts']));
    for (const file of generatorFiles) {
      const imports = [...readFileSync(path.join(FIXTURES, file), 'utf8').matchAll(/from '([^']+)'/g)].map(
        (match) => match[1],
      );
      expect({ file, imports: imports.filter((source) => source.includes('src/')) }).toEqual({ file, imports: [] });
    }
  });

  it('is deterministic: the same seed gives the same stream', () => {
    const a = generateOrderStream({ seed: 7, size: 500 });
    expect(generateOrderStream({ seed: 7, size: 500 })).toEqual(a);
    expect(generateOrderStream({ seed: 8, size: 500 })).not.toEqual(a);
  });
});
