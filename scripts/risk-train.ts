import { DATA_ARGUMENTS } from './risk-data';
import { trainOnHistory, writeModelFile } from './risk-model-file';
import { parseCommandLine } from '../src/cli/command-line';

const HELP = {
  usage: 'npm run risk:train -- [options]',
  about:
    'Trains the duplicate-risk model on a simulated (--seed, --days) or recorded (--database-url, --since) history and writes the model file.',
};

/**
 * `npm run risk:train -- [--seed 1 --days 28 | --database-url URL --since ISO] [--out models/duplicate-risk.json]`
 *
 * Trains the duplicate-risk model on the earlier part of the history (the latest `--test-share`
 * is left for `risk:evaluate`) and writes the model file atomically. Without options it makes the
 * shipped model again (a test checks it does).
 */
async function main(): Promise<void> {
  const { values } = parseCommandLine(HELP, {
    options: { ...DATA_ARGUMENTS, out: { type: 'string', default: 'models/duplicate-risk.json' } },
  });
  const started = Date.now();
  const { attempts, trained } = await trainOnHistory(values);
  const file = trained.file;
  await writeModelFile(values.out, file);
  const withCandidate = attempts.train.filter((point) => point.features).length;
  process.stdout.write(
    [
      `model ${file.modelVersion} written to ${values.out}`,
      `data: ${JSON.stringify(attempts.description)}`,
      `training attempts: ${attempts.train.length} (${withCandidate} with a candidate, the model's rows)`,
      `thresholds: hold at ${file.thresholds.holdAtScore.toFixed(4)}, flag at ${file.thresholds.flagAtScore.toFixed(4)}`,
      'weights (standardised features):',
      ...file.featureNames.map((name, i) => `  ${name.padEnd(34)} ${file.weights[i].toFixed(3).padStart(8)}`),
      `  ${'bias'.padEnd(34)} ${file.bias.toFixed(3).padStart(8)}`,
      `took ${((Date.now() - started) / 1000).toFixed(1)} s`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`risk:train failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
