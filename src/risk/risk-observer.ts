import { ORDER_OPERATIONS, decisionOf } from '../idempotency/order-decision-event';
import type { OrderDecisionEvent, OrderObserver } from '../idempotency/order-decision-event';
import type { RiskCounts } from './risk-counters';
import type { RiskSender } from './risk-assessment';
import type { DuplicateRiskScoring } from './risk-scoring';

/**
 * Feeds the risk features' counters from the guard's decisions, as training's replay of the audit
 * log does: retries (`duplicate`, `in_progress`, `reused`, a held key sent again; token replays are `duplicate` too), holds
 * and flags, confirmed holds (overrides: the hold was wrong), and a request refused (`rejected`,
 * `invalid_key`: the audit log's other rows, one request each). Observers run once the answer is
 * settled (the claim completed), and the counting is fire-and-forget: no answer waits for it. An
 * order attempt itself (requests, orders, arrivals) was counted at admission or when its placement
 * started; one that turned out to be none is taken back here, in the same update as its decision's
 * count (the event's `riskTakeBack`, RiskAssessment.takeBackWithDecision), or by placement when
 * it failed (RiskAssessment.withdraw).
 */
export function riskObserver(scoring: DuplicateRiskScoring): OrderObserver {
  return {
    operations: ORDER_OPERATIONS,
    onDecision(event, request) {
      const counts = countsOf(event);
      // An attempt counted as it arrived that turned out no order: its take-back carries this count.
      const { riskTakeBack } = event.metadata;
      if (riskTakeBack) return riskTakeBack.withCounts(counts ?? {});
      // A decision taken before the request was read has no scope: its sender is the customer, as the audit log records it.
      const customerId = event.scope ?? request.viewer?.customerId;
      if (!counts || !customerId) return;
      const { channel, salesSource } = event.metadata;
      scoring.count({ customerId, channel: channel ?? 'UNKNOWN', salesSource: salesSource ?? null }, counts);
    },
  };
}

function countsOf(event: OrderDecisionEvent): Partial<RiskCounts> | null {
  const { semanticMatch } = event.metadata;
  switch (decisionOf(event)) {
    case 'duplicate':
    case 'in_progress':
    case 'reused':
      return { requests: 1, retries: 1 };
    case 'possible_duplicate':
      // A held key sent again is a retry of the held attempt (its hold was counted then).
      return event.metadata.resentHold ? { requests: 1, retries: 1 } : { holds: 1 };
    case 'created':
      if (semanticMatch === 'flagged') return { holds: 1 };
      return semanticMatch === 'confirmed' ? { overrides: 1 } : null;
    case 'rejected':
    case 'invalid_key':
      return { requests: 1 };
    default:
      return null;
  }
}

/** A cancelled order, as the counters see it. */
export interface CancelledSender extends RiskSender {
  /** It had a candidate when placed (a possible duplicate, or an equivalent cart shortly before). */
  hadCandidate: boolean;
}

/**
 * Feeds cancellations to the counters as training labels them: an order cancelled while it had a
 * candidate was a duplicate after all, so its customer and source count one `confirmedDuplicates`
 * (as a merge's cancellations do, recordConfirmedDuplicates). Fire-and-forget, after the commit.
 * A cancellation without a candidate says nothing about duplicates and is not counted.
 */
export function cancellationCounter(scoring: DuplicateRiskScoring): (order: CancelledSender) => void {
  return (order) => {
    if (!order.hadCandidate) return;
    const { customerId, channel, salesSource } = order;
    scoring.count({ customerId, channel, salesSource: salesSource ?? null }, { confirmedDuplicates: 1 });
  };
}
