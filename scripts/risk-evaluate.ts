import { writeFile } from 'node:fs/promises';
import { RISK_FEATURE_NAMES } from '../src/risk/risk-features';
import { compileRiskModel, scoreRisk } from '../src/risk/risk-model';
import type { RiskModel } from '../src/risk/risk-model';
import { trainRiskModel } from './risk-training/train-model';
import type { DecisionPoint } from './risk-training/training-set';
import { evaluate } from './risk-training/evaluation';
import type { ScoredAttempt } from './risk-training/evaluation';
import { DATA_ARGUMENTS, loadAttempts, truthOf } from './risk-data';
import { evaluationMarkdown } from './risk-training/evaluation-markdown';
import { modelOption } from './risk-model-option';
import { parseCommandLine } from '../src/cli/command-line';

const HELP = {
  usage: 'npm run risk:evaluate -- [options]',
  about:
    "Scores the held-out attempts of the frozen seed's history (or of a recorded one) with the model file and prints its figures.",
};

/**
 * `npm run risk:evaluate -- [--model models/duplicate-risk.json] [--seed 101 --days 28 | --database-url URL] [--report FILE.json]`
 *
 * Scores the held-out attempts (the latest `--test-share` of the history, which training did not
 * see) and compares the model with today's rule: ROC AUC, recall, precision and false holds, with
 * 95 % intervals. Simulated data is judged against its truth; a real audit log only against the
 * observed labels (then the figures say how well the model predicts what people later did).
 */
async function main(): Promise<void> {
  const { values } = parseCommandLine(HELP, {
    options: {
      ...DATA_ARGUMENTS,
      // Frozen: never used to train, tune or choose thresholds (training uses seed 1).
      seed: { type: 'string', default: String(FROZEN_EVALUATION_SEED) },
      model: { type: 'string', default: 'models/duplicate-risk.json' },
      report: { type: 'string' },
    },
  });
  const model = await modelOption(values.model);
  const attempts = await loadAttempts(values);
  const truth = attempts.truth;
  const scoredBy = (scorer: RiskModel, features: (point: DecisionPoint) => Float64Array | null) =>
    attempts.test.map((point) => {
      const known = truth ? truthOf(truth, point) : null;
      const vector = features(point);
      return {
        duplicate: known ? known.duplicate : point.observedDuplicate,
        staticHold: point.staticHold,
        lookbackHold: point.lookbackHold,
        confirmedBefore: point.confirmedBefore,
        score: vector ? scoreRisk(scorer, vector) : null,
        actor: known?.actor ?? point.outcome,
        kind: known?.kind ?? '',
      };
    });
  const scored: (ScoredAttempt & { actor: string; kind: string })[] = scoredBy(model, (point) => point.features);
  const report = evaluate(scored, model.thresholds);
  // Ablation: the same training, with the similarity feature held constant (it carries nothing).
  const ablated = await trainRiskModel(
    attempts.train.map((point) => ({ ...point, features: withoutSimilarity(point.features) })),
    { ...attempts.description, ablation: 'similarity' },
  );
  const ablatedModel = compileRiskModel(ablated.file);
  if (typeof ablatedModel === 'string') throw new Error(`ablated model: ${ablatedModel}`);
  const ablation = evaluate(
    scoredBy(ablatedModel, (point) => withoutSimilarity(point.features)),
    ablatedModel.thresholds,
  );
  const labels = truth ? 'ground truth (simulator)' : 'observed labels (audit log: no ground truth)';
  process.stdout.write(
    evaluationMarkdown({ report, ablation, scored, model, labels, description: attempts.description }),
  );
  if (values.report)
    await writeFile(
      values.report,
      `${JSON.stringify({ model: model.version, labels, data: attempts.description, report, ablation }, null, 2)}\n`,
    );
}

const SIMILARITY = RISK_FEATURE_NAMES.indexOf('similarity');
/** The simulated history the published figures come from; tuning uses other seeds. */
const FROZEN_EVALUATION_SEED = 101;

/** The features with similarity set to 1 on every row: a model trained on them cannot use it. */
function withoutSimilarity(features: Float64Array | null): Float64Array | null {
  if (!features) return null;
  const copy = Float64Array.from(features);
  copy[SIMILARITY] = 1;
  return copy;
}

main().catch((error: unknown) => {
  process.stderr.write(`risk:evaluate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
