import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RISK_FEATURE_NAMES } from '../../src/risk/risk-features';
import { readModel } from '../../src/risk/risk-model-loader';
import { RISK_MODEL_FORMAT_VERSION, compileRiskModel, scoreRisk } from '../../src/risk/risk-model';
import type { RiskModelFile } from '../../src/risk/risk-model';
import { trainRiskModel } from '../../scripts/risk-training/train-model';
import type { TrainedModel } from '../../scripts/risk-training/train-model';
import type { DecisionPoint } from '../../scripts/risk-training/training-set';
import { buildTrainingSet } from '../../scripts/risk-training/training-set';
import { compareWithMatcher, verdictOf } from '../../scripts/risk-data';
import { simulateHistory } from '../../scripts/risk-simulator/simulate-history';

describe('duplicate-risk model file', () => {
  let directory: string;
  let trained: TrainedModel;
  let points: DecisionPoint[];

  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'og-risk-model-'));
    points = buildTrainingSet(simulateHistory({ seed: 3, days: 6, match: verdictOf }).history, {
      compare: compareWithMatcher,
    });
    trained = await trainRiskModel(points, { source: 'simulator', seed: 3, days: 6 }, { epochs: 10 });
  }, 60_000);

  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('round trip: trained, saved, loaded, and every score identical to the trained model’s', async () => {
    const file = path.join(directory, 'model.json');
    await writeFile(file, JSON.stringify(trained.file));
    const loaded = await readModel(file);
    const inMemory = compileRiskModel(trained.file);
    if (typeof loaded === 'string' || typeof inMemory === 'string')
      throw new Error(`${typeof loaded === 'string' ? loaded : ''} ${typeof inMemory === 'string' ? inMemory : ''}`);

    const rows = trained.validation.features;
    expect(rows.length).toBeGreaterThan(500);
    expect(loaded.version).toBe(trained.file.modelVersion);
    expect(loaded.thresholds).toEqual(trained.file.thresholds);
    for (const features of rows) expect(scoreRisk(loaded, features)).toBe(scoreRisk(inMemory, features));
  });

  it('scores in plain JavaScript what TensorFlow.js predicts for the same rows (float32 aside)', async () => {
    const model = compileRiskModel(trained.file);
    if (typeof model === 'string') throw new Error(model);
    const { features, packageScores } = trained.validation;
    const largestGap = Math.max(...features.map((row, i) => Math.abs(scoreRisk(model, row) - packageScores[i])));
    expect(largestGap).toBeLessThan(1e-5);
    // The scores spread: the model is not a constant.
    const scores = features.map((row) => scoreRisk(model, row));
    expect(Math.max(...scores) - Math.min(...scores)).toBeGreaterThan(0.5);
  });

  it('writes a versioned file: format, feature names, parameters, thresholds and how it was trained', () => {
    const file = trained.file;
    expect(file).toMatchObject({
      format: 'order-gate/duplicate-risk-model',
      formatVersion: RISK_MODEL_FORMAT_VERSION,
      kind: 'logistic-regression',
    });
    expect(file.featureNames).toEqual([...RISK_FEATURE_NAMES]);
    expect(file.weights).toHaveLength(RISK_FEATURE_NAMES.length);
    expect(file.thresholds.flagAtScore).toBeLessThanOrEqual(file.thresholds.holdAtScore);
    expect(file.training).toMatchObject({ data: { source: 'simulator', seed: 3, days: 6 }, options: { epochs: 10 } });
  });

  it('is versioned by its content, not by the clock: the same history and options make the same file', async () => {
    const { modelVersion, ...content } = trained.file;
    expect(modelVersion).toBe(createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 8));
    expect(content.training).not.toHaveProperty('trainedAt');
    const again = await trainRiskModel(points, { source: 'simulator', seed: 3, days: 6 }, { epochs: 10 });
    expect(JSON.stringify(again.file)).toBe(JSON.stringify(trained.file));
  });

  it('refuses to train on too little history, saying how much there was', async () => {
    await expect(trainRiskModel(points.slice(0, 40), {})).rejects.toThrow(
      /too little history to train a model: the training part of the history holds \d+ orders placed or held against an earlier same-cart order of their customer \(a candidate\); \d+ of them were duplicates by what followed .* and \d+ were not\. At least 30 of each are needed/,
    );
  });

  it.each<[string, (file: RiskModelFile) => unknown, RegExp]>([
    ['another format version', (file) => ({ ...file, formatVersion: 2 }), /formatVersion 2 is not supported/],
    [
      'other features',
      (file) => ({ ...file, featureNames: [...file.featureNames].reverse() }),
      /featureNames .* differ/,
    ],
    ['a weight missing', (file) => ({ ...file, weights: file.weights.slice(1) }), /weights must be 12 finite numbers/],
    [
      'a zero scale',
      (file) => ({
        ...file,
        standardization: { ...file.standardization, scale: file.standardization.scale.map(() => 0) },
      }),
      /scale must be/,
    ],
    [
      'flag above hold',
      (file) => ({ ...file, thresholds: { holdAtScore: 0.2, flagAtScore: 0.5 } }),
      /flagAtScore ≤ holdAtScore/,
    ],
    ['not an object', () => 'model', /not a JSON object/],
  ])('refuses a file with %s', (_, change, message) => {
    expect(compileRiskModel(change(trained.file))).toMatch(message);
  });
});
