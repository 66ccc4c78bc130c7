import path from 'node:path';
import { z } from 'zod';
import { numberBetween, wholeNumber } from './numeric-variables';
import { oneWordOf } from './words';

/** Live duplicate-risk scoring (src/risk, docs/risk.md), from the RISK_* variables. */
export interface RiskSettings {
  /** Absolute path of the model file (RISK_MODEL_PATH); null: no model, today's static rule. Default null. */
  modelPath: string | null;
  /** How often the model file is checked for a change (ms); 0: only SIGHUP reloads it. Default 5 000. */
  modelWatchMs: number;
  /** Thresholds replacing the model file's (both variables, or neither); null: the file's. Default null. */
  thresholds: { holdAtScore: number; flagAtScore: number } | null;
  /** How far back the order transaction looks for a candidate while a model decides (ms). Default 3 600 000. */
  candidateLookbackMs: number;
  /** Budget of the feature store's round trip, from the start of placement (ms). Default 25. */
  featuresTimeoutMs: number;
  /** Against an equivalent candidate placed at most this long ago (ms) a model may flag but never pass. Default 600 000. */
  minHoldMs: number;
  /** `decide`: the model's score decides; `shadow`: it is recorded beside today's rule, which decides. Default `decide`. */
  mode: 'decide' | 'shadow';
}

const score = numberBetween(0, 1);

/** The RISK_* variables, part of config.ts's environment schema (docs/configuration.md is generated from it). */
export const riskEnvironment = {
  RISK_MODEL_PATH: z
    .string()
    .min(1)
    .optional()
    .describe(
      "Duplicate-risk model file (`npm run risk:train` writes `models/duplicate-risk.json`). Set: a new-key order with a candidate is scored and the score decides HOLD, FLAG or pass, the channel's SEMANTIC_DUPLICATE_POLICY the ceiling; the file must load at start and is swapped without a restart (watched, and on SIGHUP). Unset (or empty, `RISK_MODEL_PATH=`, as every variable here: docker-compose.yml passes it so when it is not set): no model, today's rule, nothing logged about a model, and the other RISK_* variables are refused unless at their defaults, since they would tune nothing (docs/risk.md).",
    ),
  RISK_MODEL_WATCH_MS: wholeNumber({ min: 0, unit: 'milliseconds' })
    .default(5_000)
    .describe('How often the model file is checked for a change (ms); 0: only SIGHUP reloads it.'),
  RISK_HOLD_AT_SCORE: score
    .optional()
    .describe(
      "Score from which a possible duplicate is held (0–1), set together with RISK_FLAG_AT_SCORE. Default: the model file's thresholds.",
    ),
  RISK_FLAG_AT_SCORE: score
    .optional()
    .describe(
      "Score from which a possible duplicate is flagged (0–1, at most RISK_HOLD_AT_SCORE); below it the order passes. Default: the model file's.",
    ),
  RISK_CANDIDATE_LOOKBACK_MS: wholeNumber({ min: 1, unit: 'milliseconds' })
    .default(3_600_000)
    .describe(
      "How far back a candidate is looked for while a model decides (ms; the window of today's rule, SEMANTIC_DUPLICATE_WINDOW_MS, if longer).",
    ),
  RISK_FEATURES_TIMEOUT_MS: wholeNumber({ min: 1, unit: 'milliseconds' })
    .default(25)
    .describe(
      "Budget of the risk feature store's round trip (Redis), counted from the start of placement, or the length of the rate limit's call when the customer's counters ride with it (ms); past it, or with Redis down, today's rule decides.",
    ),
  RISK_MIN_HOLD_MS: wholeNumber({ min: 0, unit: 'milliseconds' })
    .default(600_000)
    .describe(
      "The guard rail (ms): against an equivalent candidate placed at most this long ago, a model may soften today's HOLD to FLAG, never let the order pass unmarked. The default equals SEMANTIC_DUPLICATE_WINDOW_MS's, so nothing today's rule holds passes unmarked; below that window the model may pass equivalents older than this.",
    ),
  RISK_MODE: oneWordOf(['decide', 'shadow'])
    .default('decide')
    .describe(
      "`decide`: the model's score decides HOLD, FLAG or pass. `shadow`: the model scores every candidate and its verdict is recorded (audit columns riskScore, riskAction, riskMode; metric order_gate_risk_shadow_decisions_total) beside today's rule, which decides; `npm run risk:report` compares them.",
    ),
};

type RiskEnvironment = z.infer<z.ZodObject<typeof riskEnvironment>>;

/** Every RISK_* variable at its default (the thresholds unset). */
const RISK_DEFAULTS: RiskEnvironment = z.object(riskEnvironment).parse({});

/** The settings, or what is wrong with them (one line per variable). */
export function riskSettingsOf(e: RiskEnvironment): RiskSettings | string[] {
  const problems = [...thresholdProblems(e), ...withoutModelProblems(e)];
  if (problems.length > 0) return problems;
  const hold = e.RISK_HOLD_AT_SCORE;
  const flag = e.RISK_FLAG_AT_SCORE;
  return {
    modelPath: e.RISK_MODEL_PATH ? path.resolve(e.RISK_MODEL_PATH) : null,
    modelWatchMs: e.RISK_MODEL_WATCH_MS,
    thresholds: hold !== undefined && flag !== undefined ? { holdAtScore: hold, flagAtScore: flag } : null,
    candidateLookbackMs: e.RISK_CANDIDATE_LOOKBACK_MS,
    featuresTimeoutMs: e.RISK_FEATURES_TIMEOUT_MS,
    minHoldMs: e.RISK_MIN_HOLD_MS,
    mode: e.RISK_MODE,
  };
}

function thresholdProblems(e: RiskEnvironment): string[] {
  const hold = e.RISK_HOLD_AT_SCORE;
  const flag = e.RISK_FLAG_AT_SCORE;
  if ((hold === undefined) !== (flag === undefined))
    return ['RISK_HOLD_AT_SCORE, RISK_FLAG_AT_SCORE: set both or neither'];
  if (hold !== undefined && flag !== undefined && flag > hold)
    return ['RISK_FLAG_AT_SCORE: must not be above RISK_HOLD_AT_SCORE'];
  return [];
}

/**
 * The other RISK_* variables only tune a model: without RISK_MODEL_PATH there is none, and they
 * used to be ignored without a word, so RISK_MODE=shadow recorded nothing while its operator
 * waited for a report. Refused, naming RISK_MODEL_PATH. A value equal to the default is let
 * through: it asks for nothing the server does not do anyway, and a deployment template that
 * passes RISK_* through with their defaults beside an empty RISK_MODEL_PATH (docker-compose.yml
 * passes `RISK_MODEL_PATH: ${RISK_MODEL_PATH:-}`, and could pass `RISK_MODE: ${RISK_MODE:-decide}`
 * the same way) must keep starting without a model.
 */
function withoutModelProblems(e: RiskEnvironment): string[] {
  if (e.RISK_MODEL_PATH) return [];
  const tuned = (Object.keys(riskEnvironment) as (keyof RiskEnvironment)[]).filter(
    (name) => name !== 'RISK_MODEL_PATH' && e[name] !== RISK_DEFAULTS[name],
  );
  return tuned.map(
    (name) =>
      `${name}: ${String(e[name])} needs a model, and RISK_MODEL_PATH is not set (nothing is scored): set RISK_MODEL_PATH (npm run risk:train writes models/duplicate-risk.json), or unset ${name}`,
  );
}
