import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LocaleEvaluation } from '../fixtures/locale-stream/evaluate-locales';
import { withBlock } from '../../scripts/generate-docs';
import { MATCHER_EVALUATION_BLOCK, formatLocaleEvaluation } from '../fixtures/locale-stream/report';
import frozen from '../fixtures/locale-stream/frozen-seeds.json';

const ROOT = path.join(__dirname, '..', '..');
const STREAM = path.join(ROOT, 'test', 'fixtures', 'locale-stream');
const results = JSON.parse(readFileSync(path.join(STREAM, 'frozen-results.json'), 'utf8')) as LocaleEvaluation;

describe('the matcher evaluation in docs/duplicates.md (npm run dedupe:evaluate -- --write)', () => {
  it('states the figures of the stored frozen-seed run, not figures typed by hand, in the block --write writes', () => {
    const page = readFileSync(path.join(ROOT, 'docs', 'duplicates.md'), 'utf8');
    // What `npm run dedupe:evaluate -- --write` would make of the page: the page itself, its marker naming that command.
    const { name, writer } = MATCHER_EVALUATION_BLOCK;
    expect(withBlock(page, name, formatLocaleEvaluation(results), writer)).toBe(page);
    expect(page).toContain(`<!-- generated: ${name} (${writer}) -->`);
  });

  it('was run on the frozen seed, with every locale and at least 38,500 hard negatives in each', () => {
    expect(frozen.evaluation).toContain(results.seed);
    expect(frozen.tuning).not.toContain(results.seed);
    expect(results.locales.map((locale) => locale.locale)).toEqual([
      'en',
      'de',
      'fr',
      'ru',
      'uk',
      'el',
      'ja',
      'zh_CN',
      'ko',
      'ar',
      'he',
    ]);
    for (const locale of results.locales) expect(locale.falseHolds.of).toBeGreaterThanOrEqual(38_500);
  });

  it('comes from a generator that imports nothing of src/ (faker and its own lists only)', () => {
    for (const file of readdirSync(STREAM).filter((name) => name.endsWith('.ts'))) {
      const imports = [...readFileSync(path.join(STREAM, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect({ file, imports: imports.filter((source) => source.includes('src/')) }).toEqual({ file, imports: [] });
    }
  });
});
