import type { RiskThresholds } from './risk-model';

/**
 * From a possible duplicate's score to what the live path does with it. The channel's policy is
 * the ceiling: a model can soften a HOLD channel's answer to FLAG or let the order pass, never
 * hold on a FLAG channel or look at an OFF one. Without a score (no model loaded, or the feature
 * store did not answer) today's static rule applies unchanged.
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
  | 'model';

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
  const ceiling = CEILING[input.channelPolicy];
  return { action: SEVERITY[wanted] <= SEVERITY[ceiling] ? wanted : ceiling, reason: 'model', score: input.score };
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
