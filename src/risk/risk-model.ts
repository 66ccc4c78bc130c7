import { RISK_FEATURE_NAMES } from './risk-features';

/**
 * The duplicate-risk model as a file: a logistic regression over standardised features, written
 * by `npm run risk:train` and evaluated here in plain JavaScript (no ML package on the server).
 */

export const RISK_MODEL_FORMAT = 'order-gate/duplicate-risk-model';
/** Bumped when the file's shape changes; a loader refuses other versions. */
export const RISK_MODEL_FORMAT_VERSION = 1;

/** Scores at and above which the model asks to hold or to flag (0–1); flag ≤ hold. */
export interface RiskThresholds {
  holdAtScore: number;
  flagAtScore: number;
}

/** The model file (JSON). */
export interface RiskModelFile {
  format: typeof RISK_MODEL_FORMAT;
  formatVersion: typeof RISK_MODEL_FORMAT_VERSION;
  /**
   * Identifies this model in logs, audit records and metrics: a digest of the rest of the file, e.g.
   * `1a2b3c4d` (before 2026-12-05 the training's time and a digest of the weights, e.g.
   * `2026-11-30T04:10:00Z-1a2b3c4d`).
   */
  modelVersion: string;
  kind: 'logistic-regression';
  /** The features the weights belong to, in order; must equal RISK_FEATURE_NAMES. */
  featureNames: string[];
  /** Each feature is standardised as (x − mean) / scale before the weights apply. */
  standardization: { mean: number[]; scale: number[] };
  weights: number[];
  bias: number;
  /** Thresholds chosen at training (the configuration may override them). */
  thresholds: RiskThresholds;
  /** How the model was made: package, options, data, validation figures. Free-form, for people. */
  training: Record<string, unknown>;
}

/** A model ready to score: standardisation folded into the weights. */
export interface RiskModel {
  readonly version: string;
  readonly thresholds: RiskThresholds;
  readonly file: RiskModelFile;
  /** weights / scale */
  readonly foldedWeights: Float64Array;
  /** bias − Σ weight · mean / scale */
  readonly foldedBias: number;
}

/** Checks a parsed file against the format and the code's features; returns an error message or the model. */
export function compileRiskModel(file: unknown): RiskModel | string {
  const problem = problemOf(file);
  if (problem) return problem;
  const model = file as RiskModelFile;
  const foldedWeights = new Float64Array(model.weights.length);
  let foldedBias = model.bias;
  for (let i = 0; i < model.weights.length; i++) {
    foldedWeights[i] = model.weights[i] / model.standardization.scale[i];
    foldedBias -= foldedWeights[i] * model.standardization.mean[i];
  }
  return { version: model.modelVersion, thresholds: model.thresholds, file: model, foldedWeights, foldedBias };
}

/** The probability (0–1) that the order is a duplicate of its candidate. */
export function scoreRisk(model: RiskModel, features: Float64Array): number {
  let z = model.foldedBias;
  const weights = model.foldedWeights;
  for (let i = 0; i < weights.length; i++) z += weights[i] * features[i];
  return 1 / (1 + Math.exp(-z));
}

function problemOf(file: unknown): string | null {
  if (typeof file !== 'object' || file === null) return 'not a JSON object';
  const model = file as Partial<RiskModelFile>;
  if (model.format !== RISK_MODEL_FORMAT) return `format is ${String(model.format)}, expected ${RISK_MODEL_FORMAT}`;
  if (model.formatVersion !== RISK_MODEL_FORMAT_VERSION)
    return `formatVersion ${String(model.formatVersion)} is not supported (expected ${RISK_MODEL_FORMAT_VERSION})`;
  if (model.kind !== 'logistic-regression') return `kind ${String(model.kind)} is not supported`;
  if (typeof model.modelVersion !== 'string' || model.modelVersion.length === 0) return 'modelVersion is missing';
  const names = model.featureNames;
  if (!Array.isArray(names) || names.join(',') !== RISK_FEATURE_NAMES.join(',')) {
    return `featureNames ${JSON.stringify(names)} differ from this build's ${JSON.stringify(RISK_FEATURE_NAMES)}`;
  }
  const size = RISK_FEATURE_NAMES.length;
  if (!finiteArray(model.weights, size)) return `weights must be ${size} finite numbers`;
  if (!finiteArray(model.standardization?.mean, size)) return `standardization.mean must be ${size} finite numbers`;
  const scale = model.standardization?.scale;
  if (!finiteArray(scale, size) || scale.some((value) => value <= 0))
    return `standardization.scale must be ${size} positive numbers`;
  if (!Number.isFinite(model.bias)) return 'bias must be a finite number';
  const thresholds = model.thresholds;
  if (
    !thresholds ||
    !inUnit(thresholds.holdAtScore) ||
    !inUnit(thresholds.flagAtScore) ||
    thresholds.flagAtScore > thresholds.holdAtScore
  ) {
    return 'thresholds must have 0 ≤ flagAtScore ≤ holdAtScore ≤ 1';
  }
  return null;
}

function finiteArray(value: unknown, length: number): value is number[] {
  return (
    Array.isArray(value) &&
    value.length === length &&
    value.every((item) => typeof item === 'number' && Number.isFinite(item))
  );
}

function inUnit(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= 1;
}
