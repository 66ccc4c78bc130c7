import type { RiskModel } from '../../src/risk/risk-model';
import type { EvaluationReport, OperatingPoint, ScoredAttempt } from './evaluation';
import type { Estimate } from './statistics';

/** The evaluation as Markdown: what `risk:evaluate` prints. */

type Labelled = ScoredAttempt & { actor: string; kind: string };

export function evaluationMarkdown(input: {
  report: EvaluationReport;
  /** The same evaluation of a model trained without the similarity feature. */
  ablation?: EvaluationReport;
  scored: readonly Labelled[];
  model: RiskModel;
  labels: string;
  description: Record<string, unknown>;
}): string {
  const { report, model } = input;
  const equal = report.modelAtEqualRecall;
  const lines = [
    `# Duplicate-risk model ${model.version} against today's rule`,
    '',
    `Held-out attempts: ${report.attempts} (${report.duplicates} duplicates, ${report.honest} honest), labels: ${input.labels}.`,
    `Data: ${JSON.stringify(input.description)}. Intervals: 95 % (Wilson for shares, bootstrap for AUC and the difference).`,
    '',
    `ROC AUC over all attempts: model ${estimate(report.auc.model, 3)}, static rule ${estimate(report.auc.staticRule, 3)}; ` +
      `over the attempts with a candidate: model ${estimate(report.aucWithCandidate.model, 3)}, static rule ${estimate(report.aucWithCandidate.staticRule, 3)}`,
    '',
    ...operatingPointsTable(report, input.ablation),
    '',
    `At equal recall the false-hold rate falls by ${estimate(report.falseHoldRateReduction, 4, true)} ` +
      `(${report.staticRule.falseHolds} → ${equal.falseHolds} honest orders held).`,
    '',
    '## By sender (held-out attempts; holds at the hold threshold from training)',
    '',
    '| sender / how sent | truth | attempts | rule holds | model holds |',
    '| --- | --- | --- | --- | --- |',
    ...breakdown(input.scored, model.thresholds.holdAtScore),
    '',
  ];
  return lines.join('\n');
}

/**
 * The operating points as a Markdown table: today's rule, the model, the baselines and the
 * ablation. docs/risk.md carries this table for the shipped model (test/risk/risk-docs.test.ts
 * checks it against the committed evaluation report).
 */
export function operatingPointsTable(report: EvaluationReport, ablation?: EvaluationReport): string[] {
  const equal = report.modelAtEqualRecall;
  return [
    '| decision | threshold | holds | recall | precision | false holds | false-hold rate |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    row("today's rule (equivalent within the window)", report.staticRule),
    row('model, hold threshold from training', report.modelAtHoldThreshold),
    row('model, flag threshold from training (hold or flag)', report.modelAtFlagThreshold),
    row("model at the rule's recall on this split", equal),
    row("baseline: today's rule with the model's lookback", report.baselines.ruleWithLookback),
    row(
      "baseline: today's rule sparing customers who confirmed an earlier hold",
      report.baselines.ruleSparingConfirmers,
    ),
    ...(ablation
      ? [
          row('ablation: model without similarity, hold threshold from training', ablation.modelAtHoldThreshold),
          row("ablation: model without similarity at the rule's recall", ablation.modelAtEqualRecall),
        ]
      : []),
  ];
}

function row(name: string, point: OperatingPoint): string {
  const threshold = point.threshold === null ? '—' : point.threshold.toFixed(4);
  return `| ${name} | ${threshold} | ${point.holds} | ${estimate(point.recall, 3, true)} | ${estimate(point.precision, 3, true)} | ${point.falseHolds} | ${estimate(point.falseHoldRate, 4, true)} |`;
}

function estimate(value: Estimate, digits: number, percent = false): string {
  const scale = percent ? 100 : 1;
  const unit = percent ? ' %' : '';
  const f = (x: number) => (x * scale).toFixed(percent ? Math.max(1, digits - 2) : digits);
  return `${f(value.value)}${unit} [${f(value.low)}, ${f(value.high)}]`;
}

function breakdown(scored: readonly Labelled[], holdAtScore: number): string[] {
  const groups = new Map<string, { attempts: number; rule: number; model: number }>();
  for (const attempt of scored) {
    const key = `${attempt.actor} / ${attempt.kind} | ${attempt.duplicate ? 'duplicate' : 'honest'}`;
    const group = groups.get(key) ?? { attempts: 0, rule: 0, model: 0 };
    group.attempts += 1;
    if (attempt.staticHold) group.rule += 1;
    if (attempt.score !== null && attempt.score >= holdAtScore) group.model += 1;
    groups.set(key, group);
  }
  return [...groups]
    .filter(([, group]) => group.rule > 0 || group.model > 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, group]) => `| ${key} | ${group.attempts} | ${group.rule} | ${group.model} |`);
}
