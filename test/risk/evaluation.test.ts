import { evaluate } from '../../scripts/risk-training/evaluation';
import type { ScoredAttempt } from '../../scripts/risk-training/evaluation';
import { bootstrap, rocAuc, wilson } from '../../scripts/risk-training/statistics';

describe('evaluation statistics', () => {
  it('ROC AUC: the share of (duplicate, honest) pairs ranked right, ties half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [false, true, false, true])).toBe(0.5);
    expect(rocAuc([1, 2, 3], [true, true, false])).toBe(0);
    expect(rocAuc([1, 2], [true, true])).toBeNaN();
  });

  it('Wilson intervals match the published values', () => {
    const zero = wilson(0, 10);
    expect([zero.value, zero.low]).toEqual([0, 0]);
    expect(zero.high).toBeCloseTo(0.2775, 4);
    const half = wilson(5, 10);
    expect([half.low, half.high].map((x) => Number(x.toFixed(4)))).toEqual([0.2366, 0.7634]);
  });

  it('bootstrap intervals are reproducible from the seed and contain the point value of a stable statistic', () => {
    const values = Array.from({ length: 200 }, (_, i) => i % 10);
    const mean = (indices: Uint32Array) => indices.reduce((sum, i) => sum + values[i], 0) / indices.length;
    const first = bootstrap(values.length, 200, 5, mean, 4.5);
    expect(bootstrap(values.length, 200, 5, mean, 4.5)).toEqual(first);
    expect(first.low).toBeLessThan(4.5);
    expect(first.high).toBeGreaterThan(4.5);
  });
});

describe('model against the rule', () => {
  // The rule holds 2 duplicates and 2 honest repeats and misses 1 duplicate; the model ranks all duplicates first.
  const attempts: ScoredAttempt[] = [
    { duplicate: true, staticHold: true, score: 0.9 },
    { duplicate: true, staticHold: true, score: 0.8 },
    { duplicate: true, staticHold: false, score: 0.7 },
    { duplicate: false, staticHold: true, score: 0.3 },
    { duplicate: false, staticHold: true, score: 0.2 },
    ...Array.from({ length: 15 }, (): ScoredAttempt => ({ duplicate: false, staticHold: false, score: null })),
  ];
  const report = evaluate(attempts, { holdAtScore: 0.5, flagAtScore: 0.25, bootstrapRounds: 50 });

  it('counts holds, false holds, recall and the false-hold rate at each operating point', () => {
    expect(report).toMatchObject({ attempts: 20, duplicates: 3, honest: 17 });
    expect(report.staticRule).toMatchObject({ holds: 4, truePositives: 2, falseHolds: 2 });
    expect(report.staticRule.recall.value).toBeCloseTo(2 / 3, 12);
    expect(report.staticRule.falseHoldRate.value).toBeCloseTo(2 / 17, 12);
    expect(report.modelAtHoldThreshold).toMatchObject({ holds: 3, truePositives: 3, falseHolds: 0 });
    expect(report.modelAtFlagThreshold).toMatchObject({ holds: 4, truePositives: 3, falseHolds: 1 });
  });

  it("finds the model's threshold at the rule's recall and the false holds it saves", () => {
    expect(report.modelAtEqualRecall).toMatchObject({ threshold: 0.8, holds: 2, truePositives: 2, falseHolds: 0 });
    expect(report.falseHoldRateReduction.value).toBeCloseTo(2 / 17, 12);
    expect(report.auc.model.value).toBe(1);
    expect(report.aucWithCandidate.model.value).toBe(1);
    // Among the 5 with a candidate, 6 (duplicate, honest) pairs: 4 ties (held, held) count half, 2 ranked wrong.
    expect(report.aucWithCandidate.staticRule.value).toBeCloseTo(2 / 6, 12);
  });
});
