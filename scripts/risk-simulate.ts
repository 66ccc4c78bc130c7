import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { verdictOf } from './risk-data';
import { simulateHistory } from './risk-simulator/simulate-history';
import { parseCommandLine } from '../src/cli/command-line';
import { integerOption } from '../src/cli/option-values';

const HELP = {
  usage: 'npm run risk:simulate -- [options]',
  about:
    'Writes a simulated order history (attempts, audit rows) for training and evaluating the duplicate-risk model.',
};

/**
 * `npm run risk:simulate -- [--seed 1] [--days 28] [--out-dir .data/risk-simulation]`
 *
 * Writes a simulated history to look at: `audit-events.jsonl` and `orders.jsonl` (rows as the
 * tables hold them) and, apart, `truth.jsonl` (which new-key attempts were duplicates, sent by whom).
 * `risk:train` and `risk:evaluate` simulate the same history themselves from the same seed.
 */
async function main(): Promise<void> {
  const { values } = parseCommandLine(HELP, {
    options: {
      seed: { type: 'string', default: '1' },
      days: { type: 'string', default: '28' },
      'out-dir': { type: 'string', default: '.data/risk-simulation' },
    },
  });
  const { history, truth } = simulateHistory({
    seed: integerOption('seed', values.seed, 0),
    days: integerOption('days', values.days),
    match: verdictOf,
  });
  const directory = values['out-dir'];
  await mkdir(directory, { recursive: true });
  const lines = (rows: readonly unknown[]) => rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
  await writeFile(path.join(directory, 'audit-events.jsonl'), lines(history.auditEvents));
  await writeFile(path.join(directory, 'orders.jsonl'), lines(history.orders));
  await writeFile(path.join(directory, 'truth.jsonl'), lines([...truth.values()]));
  const duplicates = [...truth.values()].filter((attempt) => attempt.duplicate).length;
  process.stdout.write(
    `${history.auditEvents.length} audit events, ${history.orders.length} orders, ${truth.size} new-key attempts (${duplicates} duplicates) in ${directory}/\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`risk:simulate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
