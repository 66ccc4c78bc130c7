import type { RiskAssessment } from '../risk/risk-assessment';
import { scoredDuplicateRule, shadowDuplicateRule, staticDuplicateRule, withRiskMode } from './duplicate-decision';
import type { DuplicateRule, DuplicateVerdict } from './duplicate-decision';
import type { OrderWrite } from './order-write';
import type { CreateOrderResult } from './results/create-order-result.union';
import { OrderCreated } from './results/order-created.type';
import { PossibleDuplicate } from './results/possible-duplicate.type';
import { leaveRiskTakeBack } from './risk-take-backs';

/**
 * A new-key attempt placed with a risk model loaded (OrderPlacementService.placeScored): the write
 * it is placed with, and what is counted once it was placed.
 */

/**
 * The write with the model's rule: the lookup looks back over the model's lookback, and the
 * transaction waits for the features only if it finds a candidate (then the score decides, the
 * guard rail under it; without a score, today's rule). In shadow mode today's rule decides and the
 * model's verdict is recorded beside it.
 */
export function scoredWrite(write: OrderWrite, risk: RiskAssessment, staticWindowMs: number): OrderWrite {
  const rule: DuplicateRule = { policy: write.policy, staticWindowMs, minHoldMs: risk.minHoldMs };
  return {
    ...write,
    windowMs: Math.max(staticWindowMs, risk.lookbackMs),
    decide: risk.scorer.then((scorer) => {
      if (risk.mode === 'shadow') return withRiskMode(shadowDuplicateRule(rule, scorer), 'shadow');
      return withRiskMode(
        scorer ? scoredDuplicateRule(rule, scorer) : staticDuplicateRule(rule.policy, staticWindowMs),
        'decide',
      );
    }),
  };
}

/** Counts an attempt placed with `write` that answered `result`, after `verdict` on its candidates. */
export function countPlaced(
  risk: RiskAssessment,
  write: OrderWrite,
  result: CreateOrderResult,
  verdict: DuplicateVerdict | null,
): void {
  // Counted as an order attempt as it arrived; training counts one only for an order or a hold
  // (docs/risk.md, "Counting"): anything else (too little stock, a SKU gone, a repeat only the
  // database knew) is taken back by the observer, with its count as the request it was (one
  // update: the decision's event carries the take-back, CreateOrderIdempotency.outcomeOf).
  // A held key sent again is a retry of its attempt, not a new one: taken back the same way.
  const resent = verdict?.resent === true;
  if (resent || !(result instanceof OrderCreated || result instanceof PossibleDuplicate))
    leaveRiskTakeBack(result, risk.takeBackWithDecision());
  // A confirmation is the client's decision, not the rule's or the model's, and a resent hold is
  // the hold already decided: nothing to count or compare (a confirmation's verdict still says
  // HOLD, but the order was placed).
  if (write.confirmed || resent) return;
  risk.settle({
    action: verdict?.action ?? null,
    decidedBy: verdict?.decidedBy ?? 'static-rule',
    score: verdict?.score ?? null,
    ...(verdict?.shadow ? { shadow: verdict.shadow } : {}),
  });
}
