import type { RiskThresholds } from './risk-model';

/**
 * From a possible duplicate's score to what the live path does with it. The channel's policy is
 * the ceiling: a model can soften a HOLD channel's answer to FLAG or let the order pass, never
 * hold on a FLAG channel or look at an OFF one. The guard rail is the floor: against an equivalent
 * candidate placed at most RISK_MIN_HOLD_MS ago a model may soften a hold to FLAG, never let the
 * order pass unmarked. Without a score (no model loaded, the feature store did not answer, or the
 * score could not be computed) today's static rule applies unchanged.
 */

/** A channel's semantic-duplicate policy (as `SEMANTIC_DUPLICATE_POLICY` sets it). */
export type ChannelDuplicatePolicy = 'HOLD' | 'FLAG' | 'OFF';

/** What to do with the order. */
export type RiskAction = 'HOLD' | 'FLAG' | 'PASS';

/** Why. */
export type RiskReason =
  /** The channel's policy is OFF: nothing is checked. */
  | 'policy-off'
  /** No candidate the rule or the model acts on. */
  | 'no-candidate'
  /** No score: today's rule (an equivalent order within the window takes the channel's policy). */
  | 'static-rule'
  /** The model's score against the thresholds, capped by the channel's policy. */
  | 'model'
  /** The model would have let the order pass, but an equivalent candidate is too recent: FLAG. */
  | 'guard-rail';

/** The matcher's candidate, as far as the decision needs it. */
export interface DecisionCandidate {
  /** Equivalent after normalisation (what today's rule requires). */
  equivalent: boolean;
  /** Placed within the static window (`SEMANTIC_DUPLICATE_WINDOW_MS`) before this order. */
  withinStaticWindow: boolean;
}

export interface RiskDecisionInput {
  channelPolicy: ChannelDuplicatePolicy;
  /** The candidate the matcher found, or null. */
  candidate: DecisionCandidate | null;
  /** The model's score, or null without a model (or without features). */
  score: number | null;
  /** Configured thresholds (from configuration, else the model file's). */
  thresholds: RiskThresholds;
  /**
   * Some candidate (not necessarily the scored one) is equivalent and was placed at most
   * RISK_MIN_HOLD_MS ago: a score may soften a hold to FLAG, never to PASS. Default false.
   */
  guarded?: boolean;
}

export interface RiskDecision {
  action: RiskAction;
  reason: RiskReason;
  /** The score that decided, when a model did. */
  score: number | null;
}

const SEVERITY: Record<RiskAction, number> = { PASS: 0, FLAG: 1, HOLD: 2 };
const CEILING: Record<ChannelDuplicatePolicy, RiskAction> = { HOLD: 'HOLD', FLAG: 'FLAG', OFF: 'PASS' };

/** Decides HOLD, FLAG or PASS; pure. */
export function decideRisk(input: RiskDecisionInput): RiskDecision {
  if (input.channelPolicy === 'OFF') return { action: 'PASS', reason: 'policy-off', score: null };
  if (input.score === null) return staticDecision(input);
  if (!input.candidate) return { action: 'PASS', reason: 'no-candidate', score: null };
  const wanted = actionForScore(input.score, input.thresholds);
  const floored = input.guarded && wanted === 'PASS' ? 'FLAG' : wanted;
  const ceiling = CEILING[input.channelPolicy];
  return {
    action: SEVERITY[floored] <= SEVERITY[ceiling] ? floored : ceiling,
    reason: floored === wanted ? 'model' : 'guard-rail',
    score: input.score,
  };
}

/** The model's wish before the ceiling. */
export function actionForScore(score: number, thresholds: RiskThresholds): RiskAction {
  if (score >= thresholds.holdAtScore) return 'HOLD';
  if (score >= thresholds.flagAtScore) return 'FLAG';
  return 'PASS';
}

function staticDecision(input: RiskDecisionInput): RiskDecision {
  const candidate = input.candidate;
  if (!candidate || !candidate.equivalent || !candidate.withinStaticWindow)
    return { action: 'PASS', reason: 'no-candidate', score: null };
  return { action: CEILING[input.channelPolicy], reason: 'static-rule', score: null };
}
