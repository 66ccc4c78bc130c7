import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';

describe('the RISK_* variables', () => {
  it("default to no model: today's rule", () => {
    expect(loadConfig({}).risk).toEqual({
      modelPath: null,
      modelWatchMs: 5_000,
      thresholds: null,
      candidateLookbackMs: 3_600_000,
      featuresTimeoutMs: 25,
      minHoldMs: 600_000,
      mode: 'decide',
    });
  });

  it('read a model path (made absolute), bounds as a pair, the lookback, the budget, the guard rail and the mode', () => {
    const risk = loadConfig({
      RISK_MODEL_PATH: 'models/duplicate-risk.json',
      RISK_MODEL_WATCH_MS: '0',
      RISK_HOLD_AT_SCORE: '0.6',
      RISK_FLAG_AT_SCORE: '0.1',
      RISK_CANDIDATE_LOOKBACK_MS: '1800000',
      RISK_FEATURES_TIMEOUT_MS: '15',
      RISK_MIN_HOLD_MS: '180000',
      RISK_MODE: 'shadow',
    }).risk;
    expect(risk).toEqual({
      modelPath: path.resolve('models/duplicate-risk.json'),
      modelWatchMs: 0,
      thresholds: { holdAtScore: 0.6, flagAtScore: 0.1 },
      candidateLookbackMs: 1_800_000,
      featuresTimeoutMs: 15,
      minHoldMs: 180_000,
      mode: 'shadow',
    });
  });

  it.each([
    ['one bound without the other', { RISK_HOLD_AT_SCORE: '0.5' }, /set both or neither/],
    [
      'flag above hold',
      { RISK_HOLD_AT_SCORE: '0.2', RISK_FLAG_AT_SCORE: '0.3' },
      /RISK_FLAG_AT_SCORE: must not be above RISK_HOLD_AT_SCORE/,
    ],
    ['a score above 1', { RISK_HOLD_AT_SCORE: '1.5', RISK_FLAG_AT_SCORE: '0.1' }, /RISK_HOLD_AT_SCORE/],
    ['a zero budget', { RISK_FEATURES_TIMEOUT_MS: '0' }, /RISK_FEATURES_TIMEOUT_MS/],
    ['a negative guard rail', { RISK_MIN_HOLD_MS: '-1' }, /RISK_MIN_HOLD_MS/],
    ['an unknown mode', { RISK_MODE: 'advise' }, /RISK_MODE/],
  ])('refuse %s, naming the variable', (_, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('refuse RISK_MODE=shadow without RISK_MODEL_PATH: nothing would be scored or recorded', () => {
    expect(() => loadConfig({ RISK_MODE: 'shadow' })).toThrow(
      new ConfigError(
        'Invalid environment:\n  RISK_MODE: shadow needs a model, and RISK_MODEL_PATH is not set (nothing is scored): set RISK_MODEL_PATH (npm run risk:train writes models/duplicate-risk.json), or unset RISK_MODE',
      ),
    );
  });

  it('refuse every model setting changed without RISK_MODEL_PATH, one line each', () => {
    const env = {
      RISK_HOLD_AT_SCORE: '0.6',
      RISK_FLAG_AT_SCORE: '0.1',
      RISK_MIN_HOLD_MS: '0',
      RISK_MODEL_WATCH_MS: '0',
    };
    const line = (name: string, value: string) =>
      `\\n  ${name}: ${value} needs a model, and RISK_MODEL_PATH is not set[^\\n]*`;
    expect(() => loadConfig(env)).toThrow(
      new RegExp(
        `^Invalid environment:${line('RISK_MODEL_WATCH_MS', '0')}${line('RISK_HOLD_AT_SCORE', '0.6')}${line('RISK_FLAG_AT_SCORE', '0.1')}${line('RISK_MIN_HOLD_MS', '0')}$`,
      ),
    );
  });

  it('let the defaults through without a model (a template may spell them out beside an empty RISK_MODEL_PATH)', () => {
    const spelledOut = {
      RISK_MODEL_PATH: '',
      RISK_MODE: 'decide',
      RISK_MIN_HOLD_MS: '600000',
      RISK_MODEL_WATCH_MS: '5000',
      RISK_CANDIDATE_LOOKBACK_MS: '3600000',
      RISK_FEATURES_TIMEOUT_MS: '25',
    };
    expect(loadConfig(spelledOut).risk).toEqual(loadConfig({}).risk);
  });
});
