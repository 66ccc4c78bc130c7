import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { RISK_FEATURE_NAMES } from '../../src/risk/risk-features';
import { RISK_MODEL_FORMAT, RISK_MODEL_FORMAT_VERSION, compileRiskModel, scoreRisk } from '../../src/risk/risk-model';
import type { RiskModelFile } from '../../src/risk/risk-model';
import type { DecisionPoint } from './training-set';

/**
 * Fits the duplicate-risk model with TensorFlow.js (a one-unit dense layer with a sigmoid: logistic
 * regression, L2-regularised, Adam) on the attempts that have a candidate, labelled with what was
 * observed later. Training only: the server scores from the saved weights in plain JavaScript.
 */

/** How the model is fitted and its thresholds chosen. */
export interface TrainingOptions {
  /** Passes over the data. Default 40. */
  epochs: number;
  /** Rows per gradient step. Default 256. */
  batchSize: number;
  /** Adam's learning rate. Default 0.02. */
  learningRate: number;
  /** L2 penalty on the weights. Default 1e-4. */
  l2: number;
  /** Share of the training attempts, the latest ones, kept aside to choose the thresholds. Default 0.2. */
  validationShare: number;
  /** Recall of the observed duplicates that have a candidate that the flag threshold keeps (validation attempts). Default 0.99. */
  flagRecall: number;
  /** Seed of the row order. Default 1. */
  seed: number;
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  epochs: 40,
  batchSize: 256,
  learningRate: 0.02,
  l2: 1e-4,
  validationShare: 0.2,
  flagRecall: 0.99,
  seed: 1,
};

/** Fewest observed duplicates, and fewest others, among the attempts with a candidate that training accepts. */
const MIN_ROWS_PER_CLASS = 30;

export interface TrainedModel {
  file: RiskModelFile;
  /** TensorFlow.js's own predictions for the validation rows, to check the plain-JS scorer against. */
  validation: { features: Float64Array[]; packageScores: Float32Array };
}

/** Trains on decision points (time-ordered); `data` describes where they came from, for the file. */
export async function trainRiskModel(
  points: readonly DecisionPoint[],
  data: Record<string, unknown>,
  options: Partial<TrainingOptions> = {},
): Promise<TrainedModel> {
  const settings = { ...DEFAULT_TRAINING_OPTIONS, ...options };
  tf.enableProdMode(); // quiet: no "install tfjs-node" banner, no debug checks
  await tf.setBackend('cpu');
  const cut = Math.floor(points.length * (1 - settings.validationShare));
  const fitPoints = points.slice(0, cut);
  const validationPoints = points.slice(cut);
  const fitRows = fitPoints.filter((point) => point.features);
  const fitDuplicates = fitRows.filter((point) => point.observedDuplicate).length;
  if (fitDuplicates < MIN_ROWS_PER_CLASS || fitRows.length - fitDuplicates < MIN_ROWS_PER_CLASS) {
    throw new Error(
      // Said in the audit log's terms: risk:evaluate trains too (its ablation), and an operator
      // reading "train" there asked what was missing (found from outside, stop 39).
      `too little history to train a model: the training part of the history holds ${fitRows.length} orders placed or held against an earlier same-cart order of their customer (a candidate); ${fitDuplicates} of them were duplicates by what followed (held and never confirmed, or placed then cancelled or merged) and ${fitRows.length - fitDuplicates} were not. At least ${MIN_ROWS_PER_CLASS} of each are needed: let the audit log grow (risk:train, and risk:evaluate, which trains its ablation, both need it)`,
    );
  }
  const standardization = standardizationOf(fitRows.map((point) => point.features!));
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      units: 1,
      inputShape: [RISK_FEATURE_NAMES.length],
      activation: 'sigmoid',
      kernelInitializer: 'zeros',
      kernelRegularizer: tfl.regularizers.l2({ l2: settings.l2 }),
    }),
  );
  model.compile({ optimizer: tf.train.adam(settings.learningRate), loss: 'binaryCrossentropy' });
  const order = shuffled(fitRows.length, settings.seed);
  const x = tf.tensor2d(order.map((i) => standardized(fitRows[i].features!, standardization)));
  const y = tf.tensor2d(order.map((i) => [fitRows[i].observedDuplicate ? 1 : 0]));
  const fit = await model.fit(x, y, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    shuffle: false,
    verbose: 0,
  });
  const [kernel, bias] = model.layers[0].getWeights();
  const weights = Array.from(await kernel.data());
  const biasValue = (await bias.data())[0];

  const validationRows = validationPoints.filter((point) => point.features);
  const validationInput = tf.tensor2d(
    validationRows.map((point) => standardized(point.features!, standardization)),
    [validationRows.length, RISK_FEATURE_NAMES.length],
  );
  const packageScores = (await (model.predict(validationInput) as tf.Tensor).data()) as Float32Array;
  tf.dispose([x, y, validationInput]);
  model.dispose();

  const parameters: Omit<RiskModelFile, 'modelVersion' | 'thresholds' | 'training'> = {
    format: RISK_MODEL_FORMAT,
    formatVersion: RISK_MODEL_FORMAT_VERSION,
    kind: 'logistic-regression',
    featureNames: [...RISK_FEATURE_NAMES],
    standardization,
    weights,
    bias: biasValue,
  };
  // Thresholds from the scorer the server runs (float64), not from TensorFlow's float32 predictions.
  const compiled = compileRiskModel({ ...parameters, modelVersion: 'thresholds not chosen', thresholds: UNCHOSEN });
  if (typeof compiled === 'string') throw new Error(`trained model is invalid: ${compiled}`);
  const thresholds = chooseThresholds(
    validationPoints,
    (point) => (point.features ? scoreRisk(compiled, point.features) : null),
    settings.flagRecall,
  );
  const file = versioned({
    ...parameters,
    thresholds,
    training: {
      package: '@tensorflow/tfjs-layers 4 (dense sigmoid unit, binary cross-entropy, Adam), cpu backend',
      options: settings,
      data,
      rows: { fit: fitRows.length, fitObservedDuplicates: fitDuplicates, validation: validationRows.length },
      finalLoss: fit.history['loss']?.at(-1),
    },
  });
  return { file, validation: { features: validationRows.map((point) => point.features!), packageScores } };
}

/** Compiling a model takes thresholds: these stand in until its own are chosen. */
const UNCHOSEN = { holdAtScore: 1, flagAtScore: 1 };

/**
 * The file with its version: a digest of everything else in it. No clock goes in (the version was
 * once the training's time and a digest of the weights), so the same data and options make the
 * same file, byte for byte, on any day, and a test can train the shipped model again and compare.
 */
function versioned(content: Omit<RiskModelFile, 'modelVersion'>): RiskModelFile {
  const { format, formatVersion, ...rest } = content;
  const digest = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 8);
  return { format, formatVersion, modelVersion: digest, ...rest };
}

/**
 * Thresholds from the validation attempts' observed labels: hold where the model's recall first
 * reaches today's rule's (the rule's bar, so holds only get fewer), flag where it reaches
 * `flagRecall` of the duplicates it can see (those with a candidate).
 */
function chooseThresholds(
  points: readonly DecisionPoint[],
  scoreOf: (point: DecisionPoint) => number | null,
  flagRecall: number,
) {
  const positives = points.filter((point) => point.observedDuplicate).length;
  const staticRecall =
    points.filter((point) => point.observedDuplicate && point.staticHold).length / Math.max(1, positives);
  const scored = points
    .map((point) => ({ score: scoreOf(point), positive: point.observedDuplicate }))
    .filter((row): row is { score: number; positive: boolean } => row.score !== null)
    .sort((a, b) => b.score - a.score);
  const visiblePositives = scored.filter((row) => row.positive).length;
  const thresholdAt = (wanted: number) => {
    let found = 0;
    for (const row of scored) {
      if (row.positive) found += 1;
      if (found >= wanted) return row.score;
    }
    return scored.at(-1)?.score ?? 0.5;
  };
  const holdAtScore = thresholdAt(Math.ceil(staticRecall * positives));
  return { holdAtScore, flagAtScore: Math.min(holdAtScore, thresholdAt(Math.ceil(flagRecall * visiblePositives))) };
}

/**
 * Least scale of a standardised feature. A feature that barely varied in training (similarity was
 * once 1 on nearly every row: scale 0.000143) would otherwise fold into an enormous weight, so that
 * a small change live (0.98 for a retyping) swings the score from certain to nothing.
 */
const MIN_SCALE = 0.05;

function standardizationOf(rows: readonly Float64Array[]): { mean: number[]; scale: number[] } {
  const size = RISK_FEATURE_NAMES.length;
  const mean = new Array<number>(size).fill(0);
  const scale = new Array<number>(size).fill(0);
  for (const row of rows) for (let j = 0; j < size; j++) mean[j] += row[j] / rows.length;
  for (const row of rows) for (let j = 0; j < size; j++) scale[j] += (row[j] - mean[j]) ** 2 / rows.length;
  return { mean, scale: scale.map((variance) => Math.max(Math.sqrt(variance), MIN_SCALE)) };
}

function standardized(row: Float64Array, { mean, scale }: { mean: number[]; scale: number[] }): number[] {
  return Array.from(row, (value, j) => (value - mean[j]) / scale[j]);
}

/** A seeded permutation of 0 … n-1 (Fisher–Yates with a linear congruential generator). */
function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
