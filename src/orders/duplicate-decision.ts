import type { SemanticDuplicatePolicy } from '../config/semantic-duplicate-policy';
import type { ComparedCandidate } from '../dedupe/possible-duplicate';
import { decideRisk } from '../risk/risk-policy';
import type { RiskAction } from '../risk/risk-policy';
import type { RiskMode, RiskScorer } from '../risk/risk-assessment';

/**
 * What the order transaction does with the candidates its lookup found: a pure function, built
 * before the transaction, that runs on the CPU alone inside it. Today's rule is one such function;
 * the model's is another, built from the risk features read when placement started; shadow mode
 * runs both and lets today's rule decide.
 */

/** Who decided: the model's score, the guard rail under it, or today's rule (no model, no features in time, no finite score). */
export type DecidedBy = 'model' | 'guard-rail' | 'static-rule';

/** What the model said about an order while today's rule decided (RISK_MODE=shadow). */
export interface ShadowVerdict {
  /** What the model would have done (after the channel's ceiling and the guard rail); null: it could not score. */
  action: RiskAction | null;
  decidedBy: DecidedBy;
  score: number | null;
  modelVersion: string;
}

/** A possible duplicate decided. */
export interface DuplicateVerdict {
  action: RiskAction;
  decidedBy: DecidedBy;
  /** The candidate the decision is about; null when it lets the order pass without one. */
  candidate: ComparedCandidate | null;
  /** The model's score, when it decided (or, in shadow mode, what it scored). */
  score: number | null;
  modelVersion: string | null;
  /** In shadow mode: what the model would have done. */
  shadow?: ShadowVerdict;
  /**
   * How a model took part (withRiskMode), when one is configured: recorded, so that an attempt it
   * could not score (no riskAction) and the mode of a scored one can be told from the audit log.
   */
  riskMode?: RiskMode;
  /**
   * A held key sent again: answered with the hold it was given (heldAgainVerdict), not decided
   * anew, so it is no decision of the rule's or the model's (a retry of the same attempt).
   */
  resent?: true;
}

/** Judges the candidates (most recent first, compared on demand); only called when there is at least one. */
export type DecideDuplicate = (candidates: Iterable<ComparedCandidate>) => DuplicateVerdict;

/** The rule the model answers to: the channel's policy (its ceiling), today's window, and the guard rail. */
export interface DuplicateRule {
  policy: SemanticDuplicatePolicy;
  /** Window of today's rule (SEMANTIC_DUPLICATE_WINDOW_MS). */
  staticWindowMs: number;
  /** Against an equivalent candidate placed at most this long ago, a model may flag but never pass (RISK_MIN_HOLD_MS). */
  minHoldMs: number;
}

const STATIC_PASS: DuplicateVerdict = {
  action: 'PASS',
  decidedBy: 'static-rule',
  candidate: null,
  score: null,
  modelVersion: null,
};

/** Without a score the thresholds are not read; decideRisk's input still names some. */
const UNUSED_THRESHOLDS = { holdAtScore: 1, flagAtScore: 1 };

/**
 * Today's rule: the most recent candidate equivalent to the order and placed within `windowMs`
 * takes the channel's policy (HOLD or FLAG); without one the order passes.
 */
export function staticDuplicateRule(policy: SemanticDuplicatePolicy, windowMs: number): DecideDuplicate {
  return (candidates) => {
    for (const candidate of candidates) {
      if (!candidate.match.equivalent || candidate.msSinceCandidate > windowMs) continue;
      const decision = decideRisk({
        channelPolicy: policy,
        candidate: { equivalent: true, withinStaticWindow: true },
        score: null,
        thresholds: UNUSED_THRESHOLDS,
      });
      return { ...STATIC_PASS, action: decision.action, candidate };
    }
    return STATIC_PASS;
  };
}

/**
 * The model's rule: the most alike candidate (the most recent of equals, as training picks it) is
 * scored, and the score decides against the thresholds, the channel's policy the ceiling and the
 * guard rail the floor (an equivalent candidate placed at most `minHoldMs` ago: at least FLAG, about
 * that candidate). A score the scorer cannot give (a missing feature, a non-finite result) leaves
 * the decision to today's rule.
 */
export function scoredDuplicateRule(rule: DuplicateRule, scorer: RiskScorer): DecideDuplicate {
  const fallback = staticDuplicateRule(rule.policy, rule.staticWindowMs);
  return (candidates) => {
    const compared = [...candidates];
    const best = mostAlike(compared);
    if (!best) return STATIC_PASS;
    const score = scorer.score({
      similarity: best.match.similarity,
      equivalent: best.match.equivalent,
      msSinceCandidate: best.msSinceCandidate,
    });
    if (score === null) return fallback(compared);
    // Candidates come most recent first: the first equivalent one is the youngest.
    const guard = compared.find((candidate) => candidate.match.equivalent);
    // At most, as today's window is inclusive: with the defaults the rail covers every order the rule holds.
    const guarded = guard !== undefined && guard.msSinceCandidate <= rule.minHoldMs;
    const decision = decideRisk({
      channelPolicy: rule.policy,
      candidate: {
        equivalent: best.match.equivalent,
        withinStaticWindow: best.msSinceCandidate <= rule.staticWindowMs,
      },
      score,
      thresholds: scorer.thresholds,
      guarded,
    });
    const decidedBy = decision.reason === 'guard-rail' ? 'guard-rail' : 'model';
    const candidate = decidedBy === 'guard-rail' ? guard! : best;
    return { action: decision.action, decidedBy, candidate, score, modelVersion: scorer.modelVersion };
  };
}

/**
 * Shadow mode (RISK_MODE=shadow): today's rule decides; the model's rule runs on the same
 * candidates and its verdict rides along, for the audit record and the metrics.
 */
export function shadowDuplicateRule(rule: DuplicateRule, scorer: RiskScorer | null): DecideDuplicate {
  const decide = staticDuplicateRule(rule.policy, rule.staticWindowMs);
  const model = scorer && scoredDuplicateRule(rule, scorer);
  return (candidates) => {
    const compared = [...candidates];
    const verdict = decide(compared);
    if (!scorer || !model) return verdict;
    const wanted = model(compared);
    const scored = wanted.decidedBy !== 'static-rule';
    const shadow: ShadowVerdict = {
      action: scored ? wanted.action : null,
      decidedBy: wanted.decidedBy,
      score: scored ? wanted.score : null,
      modelVersion: scorer.modelVersion,
    };
    // The matcher's candidate is worth recording even when the rule lets the order pass.
    return { ...verdict, candidate: verdict.candidate ?? (scored ? wanted.candidate : null), shadow };
  };
}

/** `decide`, its verdicts marked with the mode of the model that is configured (see DuplicateVerdict.riskMode). */
export function withRiskMode(decide: DecideDuplicate, riskMode: RiskMode): DecideDuplicate {
  return (candidates) => ({ ...decide(candidates), riskMode });
}

/** The highest similarity, the most recent among equals. */
function mostAlike(candidates: readonly ComparedCandidate[]): ComparedCandidate | null {
  let best: ComparedCandidate | null = null;
  for (const candidate of candidates) {
    if (!best || candidate.match.similarity > best.match.similarity) best = candidate;
  }
  return best;
}

/** What a verdict adds to its audit record (absent fields: null). */
export interface VerdictAudit {
  similarity?: number;
  candidateAgeMs?: number;
  candidateEquivalent?: boolean;
  riskScore?: number;
  riskModelVersion?: string;
  riskAction?: RiskAction;
  riskMode?: RiskMode;
}

/**
 * The audit fields of a verdict: the matcher's similarity of the candidate decided on (held
 * attempts included: the risk model trains on it), and the model's score and action — what it
 * did, or in shadow mode what it would have done.
 */
export function verdictAudit(verdict: DuplicateVerdict | null): VerdictAudit {
  if (!verdict) return {};
  const audit: VerdictAudit = {};
  if (verdict.candidate) {
    audit.similarity = verdict.candidate.match.similarity;
    audit.candidateAgeMs = verdict.candidate.msSinceCandidate;
  }
  // A held key sent again decided nothing: its hold's score and verdict are on the hold's own record.
  if (verdict.resent) return audit;
  if (verdict.candidate) audit.candidateEquivalent = verdict.candidate.match.equivalent;
  if (verdict.riskMode) audit.riskMode = verdict.riskMode;
  const model = verdict.shadow ?? (verdict.decidedBy === 'static-rule' ? null : verdict);
  if (model?.score != null && model.action !== null) {
    audit.riskScore = model.score;
    audit.riskModelVersion = model.modelVersion ?? undefined;
    audit.riskAction = model.action;
  }
  return audit;
}
