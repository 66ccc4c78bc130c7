/**
 * npm run dedupe:evaluate -- [--seed N] [--customers 5500] [--locales en,ru] [--examples 3] [--write]
 *
 * The matcher on an independent stream (test/fixtures/locale-stream: faker's locale data, generic
 * retypings, the hard look-alikes of issue 17), on the frozen evaluation seed unless `--seed`
 * names a tuning seed. Prints recall on true duplicates and false holds on hard negatives per
 * locale and per category, and exits 1 when a target is missed. `--write` (frozen seed only)
 * stores the figures in test/fixtures/locale-stream/frozen-results.json and docs/duplicates.md.
 * The older Latin-only stream of issue 12 runs with `npm run dedupe:evaluate:typed`.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { compareOrders } from '../src/dedupe/order-matcher';
import type { MatchableOrder } from '../src/dedupe/order-matcher';
import { evaluateLocales } from '../test/fixtures/locale-stream/evaluate-locales';
import type { SameIntent } from '../test/fixtures/locale-stream/evaluate-locales';
import { formatExamples, formatLocaleEvaluation } from '../test/fixtures/locale-stream/report';
import type { Address } from '../test/fixtures/locale-stream/retyping';
import frozen from '../test/fixtures/locale-stream/frozen-seeds.json';
import { ROOT, withBlock } from './generate-docs';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    customers: { type: 'string', default: '5500' },
    locales: { type: 'string' },
    examples: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
  },
});

const seed = values.seed ? Number(values.seed) : frozen.evaluation[0];
const isFrozen = frozen.evaluation.includes(seed);
const T0 = Date.UTC(2026, 11, 1);
const order = (shippingAddress: Address, seconds: number): MatchableOrder => ({
  customerId: 'customer',
  currency: 'EUR',
  lines: [{ sku: 'TEA-1', quantity: 2 }],
  shippingAddress,
  createdAt: new Date(T0 + seconds * 1000),
});
const sameIntent: SameIntent = (first, second, apartSeconds) =>
  compareOrders(order(first, 0), order(second, apartSeconds)).equivalent;

const started = performance.now();
const evaluation = evaluateLocales(sameIntent, {
  seed,
  customers: Number(values.customers),
  ...(values.locales ? { locales: values.locales.split(',') } : {}),
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const report = formatLocaleEvaluation(evaluation);
console.log(
  `${isFrozen ? 'frozen evaluation seed' : 'tuning seed'} ${seed}: ${evaluation.pairs.toLocaleString('en')} pairs in ${seconds} s\n`,
);
console.log(report);
if (Number(values.examples) > 0) console.log(`\nexamples:\n${formatExamples(evaluation, Number(values.examples))}`);

if (values.write) {
  if (!isFrozen || values.locales || values.customers !== '5500')
    throw new Error('--write stores the full run on the frozen seed only');
  const results = path.join(ROOT, 'test/fixtures/locale-stream/frozen-results.json');
  writeFileSync(results, `${JSON.stringify(evaluation, null, 2)}\n`);
  const page = path.join(ROOT, 'docs/duplicates.md');
  writeFileSync(page, withBlock(readFileSync(page, 'utf8'), 'matcher evaluation', report));
  console.log(`\nwrote ${path.relative(ROOT, results)} and docs/duplicates.md`);
}
process.exit(evaluation.targetsMet ? 0 : 1);
