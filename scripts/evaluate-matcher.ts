/**
 * npm run dedupe:evaluate -- [--seed N] [--customers 5500] [--locales en,ru] [--examples 3] [--dump-failures N] [--write]
 *
 * The matcher on an independent stream (test/fixtures/locale-stream: faker's locale data, generic
 * retypings, the hard look-alikes of issue 17), on the frozen evaluation seed unless `--seed`
 * names a tuning seed. Prints recall on true duplicates and false holds on hard negatives per
 * locale and per category, and exits 1 when a target is missed. `--write` (frozen seed only)
 * stores the figures in test/fixtures/locale-stream/frozen-results.json and docs/duplicates.md.
 * `--dump-failures N` prints up to N wrong verdicts per locale and category, with what tells the
 * pair apart or what was forgiven (for tuning on a tuning seed).
 * The older Latin-only stream of issue 12 runs with `npm run dedupe:evaluate:typed`.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { compareOrders } from '../src/dedupe/order-matcher';
import type { MatchableOrder } from '../src/dedupe/order-matcher';
import { evaluateLocales } from '../test/fixtures/locale-stream/evaluate-locales';
import type { SameIntent } from '../test/fixtures/locale-stream/evaluate-locales';
import type { EvaluationPair } from '../test/fixtures/locale-stream/locale-stream';
import {
  MATCHER_EVALUATION_BLOCK,
  formatExamples,
  formatLocaleEvaluation,
} from '../test/fixtures/locale-stream/report';
import type { Address } from '../test/fixtures/locale-stream/retyping';
import frozen from '../test/fixtures/locale-stream/frozen-seeds.json';
import { ROOT, withBlock } from './generate-docs';
import { parseCommandLine } from '../src/cli/command-line';
import { integerOption, listOption } from '../src/cli/option-values';
import { LOCALES } from '../test/fixtures/locale-stream/locales';

const HELP = {
  usage: 'npm run dedupe:evaluate -- [options]',
  about:
    "The matcher's recall and false holds per script on a seed of the locale stream (the frozen seed by default; --write updates docs/duplicates.md with its figures).",
};

const LOCALE_NAMES = LOCALES.map((spec) => spec.locale);

const { values } = parseCommandLine(HELP, {
  options: {
    seed: { type: 'string' },
    customers: { type: 'string', default: '5500' },
    locales: { type: 'string' },
    examples: { type: 'string', default: '3' },
    'dump-failures': { type: 'string', default: '0' },
    write: { type: 'boolean', default: false },
  },
});

// Read before anything runs: `Number('abc')` was NaN, and `--customers abc` ran the frozen seed on
// no customer at all (0 pairs), exit 0.
const seed = values.seed === undefined ? frozen.evaluation[0] : integerOption('seed', values.seed, 0);
const customers = integerOption('customers', values.customers);
const examples = integerOption('examples', values.examples, 0);
const locales = values.locales === undefined ? undefined : listOption('locales', values.locales, LOCALE_NAMES);
const isFrozen = frozen.evaluation.includes(seed);
const T0 = Date.UTC(2026, 11, 1);
const order = (shippingAddress: Address, seconds: number): MatchableOrder => ({
  customerId: 'customer',
  currency: 'EUR',
  lines: [{ sku: 'TEA-1', quantity: 2 }],
  shippingAddress,
  createdAt: new Date(T0 + seconds * 1000),
});
/**
 * One object per distinct address among the last few: a customer's first order recurs in most of
 * its pairs, and the matcher caches an address's profile per object (address-profile.ts), so it
 * is folded once instead of once per pair. The verdicts are those of fresh objects.
 */
const interned = new Map<string, Address>();
function intern(address: Address): Address {
  const key = JSON.stringify(address);
  const known = interned.get(key);
  if (known) return known;
  if (interned.size >= 64) interned.clear();
  interned.set(key, address);
  return address;
}
const sameIntent: SameIntent = (first, second, apartSeconds) =>
  compareOrders(order(intern(first), 0), order(intern(second), apartSeconds)).equivalent;

const dumpPerCategory = integerOption('dump-failures', values['dump-failures'], 0);
const dumped = new Map<string, string[]>();
/** Keeps a wrong verdict to print, with the matcher's own account of the pair. */
function dumpFailure(pair: EvaluationPair, held: boolean): void {
  const wrong = (pair.kind === 'duplicate' && !held) || (pair.kind === 'hard-negative' && held);
  if (!wrong) return;
  const key = `${pair.locale} ${held ? 'false hold' : 'miss'} (${pair.category})`;
  const lines = dumped.get(key) ?? [];
  dumped.set(key, lines);
  if (lines.length >= dumpPerCategory * 3) return;
  const match = compareOrders(order(pair.first, 0), order(pair.second, pair.apartSeconds));
  lines.push(
    `  [${pair.variations.join(', ')}] ${held ? (match.reasons.at(-3) ?? '') : match.differences.join(', ')}`,
    `    ${JSON.stringify(pair.first)}`,
    `    ${JSON.stringify(pair.second)}`,
  );
}

const started = performance.now();
const evaluation = evaluateLocales(sameIntent, {
  seed,
  customers,
  ...(locales ? { locales } : {}),
  ...(dumpPerCategory > 0 ? { onPair: dumpFailure } : {}),
});
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const report = formatLocaleEvaluation(evaluation);
console.log(
  `${isFrozen ? 'frozen evaluation seed' : 'tuning seed'} ${seed}: ${evaluation.pairs.toLocaleString('en')} pairs in ${seconds} s\n`,
);
console.log(report);
for (const [key, lines] of dumped) console.log(`\n${key}: ${lines.length / 3} shown\n${lines.join('\n')}`);
if (examples > 0) console.log(`\nexamples:\n${formatExamples(evaluation, examples)}`);

if (values.write) {
  if (!isFrozen || values.locales || values.customers !== '5500')
    throw new Error('--write stores the full run on the frozen seed only');
  const results = path.join(ROOT, 'test/fixtures/locale-stream/frozen-results.json');
  writeFileSync(results, `${JSON.stringify(evaluation, null, 2)}\n`);
  const page = path.join(ROOT, 'docs/duplicates.md');
  const { name, writer } = MATCHER_EVALUATION_BLOCK;
  writeFileSync(page, withBlock(readFileSync(page, 'utf8'), name, report, writer));
  console.log(`\nwrote ${path.relative(ROOT, results)} and docs/duplicates.md`);
}
process.exit(evaluation.targetsMet ? 0 : 1);
