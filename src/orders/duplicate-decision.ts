import type { SemanticDuplicatePolicy } from '../config/semantic-duplicate-policy';
import type { ComparedCandidate } from '../dedupe/possible-duplicate';
import { decideRisk } from '../risk/risk-policy';
import type { RiskAction } from '../risk/risk-policy';
import type { RiskScorer } from '../risk/risk-scoring';

/**
 * What the order transaction does with the candidates its lookup found: a pure function, built
 * before the transaction, that runs on the CPU alone inside it. Today's rule is one such function;
 * the model's is another, built from the risk features read when placement started.
 */

/** A possible duplicate decided. */
export interface DuplicateVerdict {
  action: RiskAction;
  /** `model`: the score against the thresholds; `static-rule`: today's rule (no model, or no features in time). */
  decidedBy: 'model' | 'static-rule';
  /** The candidate the decision is about; null when it lets the order pass without one. */
  candidate: ComparedCandidate | null;
  /** The model's score, when it decided. */
  score: number | null;
  modelVersion: string | null;
}

/** Judges the candidates (most recent first, compared on demand); only called when there is at least one. */
export type DecideDuplicate = (candidates: Iterable<ComparedCandidate>) => DuplicateVerdict;

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
 * scored, and the score decides against the thresholds, the channel's policy the ceiling.
 * `staticWindowMs` only tells decideRisk whether today's rule would have held it.
 */
export function scoredDuplicateRule(
  policy: SemanticDuplicatePolicy,
  staticWindowMs: number,
  scorer: RiskScorer,
): DecideDuplicate {
  return (candidates) => {
    const best = mostAlike(candidates);
    if (!best) return STATIC_PASS;
    const score = scorer.score({ similarity: best.match.similarity, msSinceCandidate: best.msSinceCandidate });
    const decision = decideRisk({
      channelPolicy: policy,
      candidate: { equivalent: best.match.equivalent, withinStaticWindow: best.msSinceCandidate <= staticWindowMs },
      score,
      thresholds: scorer.thresholds,
    });
    return { action: decision.action, decidedBy: 'model', candidate: best, score, modelVersion: scorer.modelVersion };
  };
}

/** The highest similarity, the most recent among equals; stops at the first perfect match (nothing can beat it). */
function mostAlike(candidates: Iterable<ComparedCandidate>): ComparedCandidate | null {
  let best: ComparedCandidate | null = null;
  for (const candidate of candidates) {
    if (!best || candidate.match.similarity > best.match.similarity) best = candidate;
    if (best.match.similarity >= 1) break;
  }
  return best;
}
