import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readModel } from '../src/risk/risk-model-loader';
import { scoreRisk } from '../src/risk/risk-model';
import { evaluate } from './risk-training/evaluation';
import type { ScoredAttempt } from './risk-training/evaluation';
import { DATA_ARGUMENTS, loadAttempts, truthOf } from './risk-data';
import { evaluationMarkdown } from './risk-training/evaluation-markdown';

/**
 * `npm run risk:evaluate -- [--model models/duplicate-risk.json] [--seed 1 --days 28 | --database-url URL] [--report FILE.json]`
 *
 * Scores the held-out attempts (the latest `--test-share` of the history, which training did not
 * see) and compares the model with today's rule: ROC AUC, recall, precision and false holds, with
 * 95 % intervals. Simulated data is judged against its truth; a real audit log only against the
 * observed labels (then the figures say how well the model predicts what people later did).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...DATA_ARGUMENTS,
      model: { type: 'string', default: 'models/duplicate-risk.json' },
      report: { type: 'string' },
    },
  });
  const model = await readModel(values.model);
  if (typeof model === 'string') throw new Error(`${values.model}: ${model}`);
  const attempts = await loadAttempts(values);
  const truth = attempts.truth;
  const scored: (ScoredAttempt & { actor: string; kind: string })[] = attempts.test.map((point) => {
    const known = truth ? truthOf(truth, point) : null;
    return {
      duplicate: known ? known.duplicate : point.observedDuplicate,
      staticHold: point.staticHold,
      score: point.features ? scoreRisk(model, point.features) : null,
      actor: known?.actor ?? point.outcome,
      kind: known?.kind ?? '',
    };
  });
  const report = evaluate(scored, model.thresholds);
  const labels = truth ? 'ground truth (simulator)' : 'observed labels (audit log: no ground truth)';
  process.stdout.write(evaluationMarkdown({ report, scored, model, labels, description: attempts.description }));
  if (values.report)
    await writeFile(
      values.report,
      `${JSON.stringify({ model: model.version, labels, data: attempts.description, report }, null, 2)}\n`,
    );
}

main().catch((error: unknown) => {
  process.stderr.write(`risk:evaluate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
