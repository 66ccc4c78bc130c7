import type { Metrics } from '../observability/metrics';
import { ORDER_OPERATIONS, decisionOf } from './order-decision-event';
import type { OrderObserver } from './order-decision-event';

/** Counts, times and logs every decision on orders. */
export function idempotencyTelemetry(metrics: Metrics): OrderObserver {
  return {
    operations: ORDER_OPERATIONS,
    onDecision(event, request) {
      const seconds = event.latencyMs / 1000;
      const decision = decisionOf(event);
      metrics.idempotencyDecisions.inc({ decision, source: event.layer ?? '', claim: event.claim });
      if (decision === 'duplicate') metrics.duplicateDetectionSeconds.observe({ source: event.layer ?? '' }, seconds);
      if (decision === 'created') metrics.orderCreationSeconds.observe(seconds);
      request.logger.info(
        {
          operation: event.operation,
          decision,
          source: event.layer,
          claim: event.claim,
          customerId: event.scope,
          idempotencyKey: event.key,
          resourceId: event.resourceId,
          latencyMs: Math.round(event.latencyMs * 100) / 100,
        },
        'idempotency decision',
      );
    },
  };
}
