/**
 * npm run dedupe:evaluate:typed -- [--orders 200000] [--seed 1] [--first-letter-share 0.05]
 *                            [--typos 0.35,0.4,0.2,0.05] [--window-ms 600000] [--examples 10] [--all-rows]
 *
 * Generates a labelled stream (test/fixtures/order-stream.ts: errors from published taxonomies,
 * hard negatives), replays it through the matcher exactly as the scan does, and prints recall,
 * precision and false-positive rate with 95 % Wilson intervals and the table of misses and false
 * alarms by variation. Exits 1 when recall < 99.5 % or the false-positive rate ≥ 0.01 % (the
 * targets of issue 12), so it can gate a change.
 */
import { evaluateMatcher } from '../test/fixtures/evaluate-matcher';
import { formatEvaluation } from '../test/fixtures/evaluation-report';
import { generateOrderStream } from '../test/fixtures/order-stream';
import { parseCommandLine } from '../src/cli/command-line';
import { integerOption } from '../src/cli/option-values';

const HELP = {
  usage: 'npm run dedupe:evaluate:typed -- [options]',
  about:
    "Recall, precision and false-positive rate of the matcher on issue 12's labelled stream; exits 1 when a target is missed.",
};

/** The targets: recall at least this … */
export const TARGET_RECALL = 0.995;
/** … at a false-positive rate below this. */
export const TARGET_FALSE_POSITIVE_RATE = 0.0001;

const { values } = parseCommandLine(HELP, {
  options: {
    orders: { type: 'string', default: '200000' },
    seed: { type: 'string', default: '1' },
    'first-letter-share': { type: 'string' },
    typos: { type: 'string' },
    'window-ms': { type: 'string' },
    examples: { type: 'string', default: '10' },
    'all-rows': { type: 'boolean', default: false },
  },
});

// Read before anything runs: `Number('abc')` was NaN, and the run went on with 0 orders, exit 0.
const seed = integerOption('seed', values.seed, 0);
const orders = integerOption('orders', values.orders);
const windowMs = values['window-ms'] === undefined ? undefined : integerOption('window-ms', values['window-ms']);
const examples = integerOption('examples', values.examples, 0);

const started = process.hrtime.bigint();
const stream = generateOrderStream({
  seed,
  size: orders,
  typos: {
    ...(values['first-letter-share'] ? { firstLetterShare: Number(values['first-letter-share']) } : {}),
    ...(values.typos ? { typoCounts: values.typos.split(',').map(Number) } : {}),
  },
});
const generatedMs = Number(process.hrtime.bigint() - started) / 1e6;
const evaluation = evaluateMatcher(stream, windowMs, examples);
const evaluatedMs = Number(process.hrtime.bigint() - started) / 1e6 - generatedMs;

console.log(
  `stream: seed ${values.seed}, ${stream.length.toLocaleString('en')} orders (generated in ${Math.round(generatedMs)} ms, evaluated in ${Math.round(evaluatedMs)} ms)`,
);
console.log(formatEvaluation(evaluation, { allRows: values['all-rows'], examples }));
const met = evaluation.recall.value >= TARGET_RECALL && evaluation.falsePositiveRate.value < TARGET_FALSE_POSITIVE_RATE;
console.log(`\ntargets (recall ≥ 99.5 %, false-positive rate < 0.01 %): ${met ? 'met' : 'NOT met'}`);
process.exit(met ? 0 : 1);
