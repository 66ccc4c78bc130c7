import { bootstrap, rocAuc, wilson } from './statistics';
import type { Estimate } from './statistics';

/**
 * Model against today's rule on held-out attempts whose truth is known: ROC AUC, and for each
 * operating point recall, precision and the false-hold rate (honest orders held / honest orders),
 * with 95 % intervals (Wilson for shares, bootstrap for AUC and for the paired difference).
 */

/** One held-out new-key attempt. */
export interface ScoredAttempt {
  /** Truth: a duplicate of an earlier intent. */
  duplicate: boolean;
  staticHold: boolean;
  /** The model's score; null when the matcher found no candidate (never held). */
  score: number | null;
  /** Baseline: today's rule with the model's lookback. Default: staticHold. */
  lookbackHold?: boolean;
  /** The customer confirmed an earlier hold (the baseline that spares them does not hold). Default false. */
  confirmedBefore?: boolean;
}

export interface OperatingPoint {
  threshold: number | null;
  holds: number;
  truePositives: number;
  falseHolds: number;
  recall: Estimate;
  precision: Estimate;
  falseHoldRate: Estimate;
}

export interface EvaluationReport {
  attempts: number;
  duplicates: number;
  honest: number;
  auc: { model: Estimate; staticRule: Estimate };
  /** AUC among the attempts that have a candidate: the model's own task. */
  aucWithCandidate: { model: Estimate; staticRule: Estimate };
  staticRule: OperatingPoint;
  /** The model at the thresholds in its file (chosen on training data). */
  modelAtHoldThreshold: OperatingPoint;
  modelAtFlagThreshold: OperatingPoint;
  /** The model at the highest threshold whose recall reaches the static rule's on this split. */
  modelAtEqualRecall: OperatingPoint;
  /** Static false-hold rate minus the model's at equal recall (positive: the model holds fewer honest orders). */
  falseHoldRateReduction: Estimate;
  /** Baselines that are not strawmen: the rule with the model's lookback, and the rule sparing customers who confirmed earlier holds. */
  baselines: { ruleWithLookback: OperatingPoint; ruleSparingConfirmers: OperatingPoint };
}

export interface EvaluationOptions {
  /** The model's hold threshold (0–1), usually the model file's. */
  holdAtScore: number;
  /** The model's flag threshold (0–1). */
  flagAtScore: number;
  /** Bootstrap resamples. Default 500. */
  bootstrapRounds?: number;
  /** Seed of the resampling. Default 7. */
  seed?: number;
}

export function evaluate(attempts: readonly ScoredAttempt[], options: EvaluationOptions): EvaluationReport {
  const n = attempts.length;
  const labels = attempts.map((attempt) => attempt.duplicate);
  const scores = attempts.map((attempt) => attempt.score ?? Number.NEGATIVE_INFINITY);
  const staticScores = attempts.map((attempt) => (attempt.staticHold ? 1 : 0));
  const duplicates = labels.filter(Boolean).length;
  const rounds = options.bootstrapRounds ?? 500;
  const seed = options.seed ?? 7;
  // Attempts by score, highest first: the equal-recall threshold is found by one walk.
  const byScore = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const ones = new Uint32Array(n).fill(1);
  const equalRecall = (weights: Uint32Array) => equalRecallPoint(byScore, scores, labels, attempts, weights);
  const reduction = (weights: Uint32Array) => {
    const point = equalRecall(weights);
    return point.staticFalseHoldRate - point.modelFalseHoldRate;
  };
  const whole = equalRecall(ones);
  const withCandidate = Array.from({ length: n }, (_, i) => i).filter((i) => attempts[i].score !== null);
  return {
    attempts: n,
    duplicates,
    honest: n - duplicates,
    auc: {
      model: bootstrap(n, rounds, seed, (indices) => rocAuc(scores, labels, indices), rocAuc(scores, labels)),
      staticRule: bootstrap(
        n,
        rounds,
        seed,
        (indices) => rocAuc(staticScores, labels, indices),
        rocAuc(staticScores, labels),
      ),
    },
    aucWithCandidate: {
      model: aucEstimate(scores, labels, withCandidate, rounds, seed),
      staticRule: aucEstimate(staticScores, labels, withCandidate, rounds, seed),
    },
    staticRule: operatingPoint(attempts, null, (attempt) => attempt.staticHold),
    baselines: {
      ruleWithLookback: operatingPoint(attempts, null, (attempt) => attempt.lookbackHold ?? attempt.staticHold),
      ruleSparingConfirmers: operatingPoint(
        attempts,
        null,
        (attempt) => attempt.staticHold && !attempt.confirmedBefore,
      ),
    },
    modelAtHoldThreshold: operatingPoint(
      attempts,
      options.holdAtScore,
      (attempt) => (attempt.score ?? -1) >= options.holdAtScore,
    ),
    modelAtFlagThreshold: operatingPoint(
      attempts,
      options.flagAtScore,
      (attempt) => (attempt.score ?? -1) >= options.flagAtScore,
    ),
    modelAtEqualRecall: operatingPoint(
      attempts,
      whole.threshold,
      (attempt) => attempt.score !== null && attempt.score >= whole.threshold,
    ),
    falseHoldRateReduction: bootstrap(
      n,
      rounds,
      seed,
      (indices) => reduction(multiplicities(indices, n)),
      reduction(ones),
    ),
  };
}

/** AUC over a subset, with a bootstrap over that subset. */
function aucEstimate(
  scores: readonly number[],
  labels: readonly boolean[],
  subset: readonly number[],
  rounds: number,
  seed: number,
): Estimate {
  const picked = new Uint32Array(subset.length);
  const statistic = (indices: Uint32Array) => {
    for (let i = 0; i < indices.length; i++) picked[i] = subset[indices[i]]!;
    return rocAuc(scores, labels, picked);
  };
  return bootstrap(subset.length, rounds, seed, statistic, rocAuc(scores, labels, subset));
}

function operatingPoint(
  attempts: readonly ScoredAttempt[],
  threshold: number | null,
  holds: (attempt: ScoredAttempt) => boolean,
): OperatingPoint {
  let truePositives = 0;
  let falseHolds = 0;
  let duplicates = 0;
  for (const attempt of attempts) {
    if (attempt.duplicate) duplicates += 1;
    if (!holds(attempt)) continue;
    if (attempt.duplicate) truePositives += 1;
    else falseHolds += 1;
  }
  return {
    threshold,
    holds: truePositives + falseHolds,
    truePositives,
    falseHolds,
    recall: wilson(truePositives, duplicates),
    precision: wilson(truePositives, truePositives + falseHolds),
    falseHoldRate: wilson(falseHolds, attempts.length - duplicates),
  };
}

/** With each attempt weighted (a bootstrap's multiplicities): the static rule's recall, and the model's threshold and false-hold rate at that recall. */
function equalRecallPoint(
  byScore: readonly number[],
  scores: readonly number[],
  labels: readonly boolean[],
  attempts: readonly ScoredAttempt[],
  weights: Uint32Array,
): { threshold: number; staticFalseHoldRate: number; modelFalseHoldRate: number } {
  let staticTruePositives = 0;
  let staticFalseHolds = 0;
  let honest = 0;
  for (let i = 0; i < attempts.length; i++) {
    const weight = weights[i];
    if (!labels[i]) honest += weight;
    if (!attempts[i].staticHold) continue;
    if (labels[i]) staticTruePositives += weight;
    else staticFalseHolds += weight;
  }
  let truePositives = 0;
  let falseHolds = 0;
  let threshold = Number.POSITIVE_INFINITY;
  for (let k = 0; k < byScore.length; k++) {
    const i = byScore[k];
    if (scores[i] === Number.NEGATIVE_INFINITY) break;
    if (truePositives >= staticTruePositives && scores[i] < threshold) break; // ties of the threshold all count
    threshold = scores[i]!;
    if (labels[i]) truePositives += weights[i];
    else falseHolds += weights[i];
  }
  return { threshold, staticFalseHoldRate: staticFalseHolds / honest, modelFalseHoldRate: falseHolds / honest };
}

function multiplicities(indices: Uint32Array, n: number): Uint32Array {
  const counts = new Uint32Array(n);
  for (const index of indices) counts[index] += 1;
  return counts;
}
