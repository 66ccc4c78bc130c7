import { readFileSync } from 'node:fs';
import path from 'node:path';
import { operatingPointsTable } from '../../scripts/risk-training/evaluation-markdown';
import type { EvaluationReport } from '../../scripts/risk-training/evaluation';
import type { RiskModelFile } from '../../src/risk/risk-model';
import { SHIPPED_MODEL_PATH } from '../support/risk';

/**
 * docs/risk.md states the evaluation figures of the shipped model, never typed by hand: they are
 * the table `npm run risk:evaluate -- --report models/duplicate-risk.evaluation.json` prints (the
 * frozen seed 101, never used in training), and this test checks the committed report belongs to
 * the shipped model and that the docs carry its table unchanged.
 */

const ROOT = path.join(__dirname, '../..');
const evaluation = JSON.parse(readFileSync(path.join(ROOT, 'models/duplicate-risk.evaluation.json'), 'utf8')) as {
  model: string;
  data: { seed?: number };
  report: EvaluationReport;
  ablation: EvaluationReport;
};
const shipped = JSON.parse(readFileSync(SHIPPED_MODEL_PATH, 'utf8')) as RiskModelFile;

describe('the evaluation figures in docs/risk.md', () => {
  it("come from the shipped model's evaluation on the frozen seed", () => {
    expect(evaluation.model).toBe(shipped.modelVersion);
    expect(evaluation.data.seed).toBe(101);
    expect(shipped.training).toMatchObject({ data: { seed: 1 } });
  });

  it('are the table risk:evaluate prints, with the baselines and the ablation', () => {
    const table = operatingPointsTable(evaluation.report, evaluation.ablation).join('\n');
    expect(table).toContain("today's rule with the model's lookback");
    expect(table).toContain('model without similarity');
    expect(readFileSync(path.join(ROOT, 'docs/risk.md'), 'utf8')).toContain(table);
  });

  it("name the shipped model's version and thresholds wherever the prose states them", () => {
    const docs = readFileSync(path.join(ROOT, 'docs/risk.md'), 'utf8');
    const hold = shipped.thresholds.holdAtScore.toFixed(4);
    const flag = shipped.thresholds.flagAtScore.toFixed(4);
    expect(docs).toContain(`"modelVersion": "${shipped.modelVersion}"`);
    expect(docs).toContain(`"thresholds": { "holdAtScore": ${hold}, "flagAtScore": ${flag} }`);
    expect(docs).toContain(`the shipped model holds from ${hold}`);
    expect(docs).toContain(`(shipped: ${hold}, ${flag})`);
  });
});
