import type { ComparedCandidate } from '../../src/dedupe/possible-duplicate';
import { scoredDuplicateRule, staticDuplicateRule } from '../../src/orders/duplicate-decision';
import type { DuplicateRule } from '../../src/orders/duplicate-decision';
import type { RiskScorer } from '../../src/risk/risk-assessment';

/**
 * The guard rail against today's rule at its edge: with the defaults (RISK_MIN_HOLD_MS equal to
 * SEMANTIC_DUPLICATE_WINDOW_MS) nothing today's rule holds may pass unmarked, whatever the score,
 * also an equivalent candidate placed exactly the window's length before.
 */

const WINDOW_MS = 600_000;
const rule: DuplicateRule = { policy: 'HOLD', staticWindowMs: WINDOW_MS, minHoldMs: WINDOW_MS };
/** A model that wants every order to pass. */
const passingScorer: RiskScorer = {
  modelVersion: 'test-model',
  thresholds: { holdAtScore: 0.6, flagAtScore: 0.2 },
  score: () => 0.001,
};

function equivalentPlaced(msSinceCandidate: number): ComparedCandidate {
  return {
    candidateId: 'candidate-1',
    match: { equivalent: true, similarity: 0.98, reasons: [], differences: [] },
    msSinceCandidate,
  };
}

describe('the guard rail at the edge of today’s window', () => {
  it.each([WINDOW_MS - 1, WINDOW_MS])(
    'an equivalent candidate placed %i ms before: today’s rule holds, the model’s rule flags it, never passes it',
    (msSinceCandidate) => {
      const candidates = [equivalentPlaced(msSinceCandidate)];
      expect(staticDuplicateRule('HOLD', WINDOW_MS)(candidates).action).toBe('HOLD');
      expect(scoredDuplicateRule(rule, passingScorer)(candidates)).toMatchObject({
        action: 'FLAG',
        decidedBy: 'guard-rail',
        candidate: { candidateId: 'candidate-1' },
      });
    },
  );

  it('one millisecond past the window both let it pass: the rail is no wider than the rule', () => {
    const candidates = [equivalentPlaced(WINDOW_MS + 1)];
    expect(staticDuplicateRule('HOLD', WINDOW_MS)(candidates).action).toBe('PASS');
    expect(scoredDuplicateRule(rule, passingScorer)(candidates)).toMatchObject({ action: 'PASS', decidedBy: 'model' });
  });
});
