import type { RiskTakeBack } from '../idempotency/order-decision-event';
import type { CreateOrderResult } from './results/create-order-result.union';

/**
 * The risk take-backs placement left for the decisions of its answers (an attempt counted as an
 * order attempt that turned out to be none), by answer: the guard hands the same answer to
 * CreateOrderIdempotency.outcomeOf, whose event carries the take-back to the risk observer, which
 * sends it with the decision's own count in one update. Weak: an answer nobody decides on keeps
 * nothing alive.
 */
const takeBacks = new WeakMap<CreateOrderResult, RiskTakeBack>();

/** Leaves `takeBack` for the decision on `result`. */
export function leaveRiskTakeBack(result: CreateOrderResult, takeBack: RiskTakeBack): void {
  takeBacks.set(result, takeBack);
}

/** The take-back left for the decision on `result`, taken (once); undefined when none. */
export function takeRiskTakeBack(result: CreateOrderResult): RiskTakeBack | undefined {
  const takeBack = takeBacks.get(result);
  takeBacks.delete(result);
  return takeBack;
}
