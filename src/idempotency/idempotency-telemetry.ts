import type { Metrics } from '../observability/metrics';
import { ORDER_OPERATIONS, decisionOf } from './order-decision-event';
import type { OrderObserver } from './order-decision-event';

/**
 * Logs every decision of every guarded operation (one line each, as docs/architecture.md says; the
 * lifecycle mutations' were not logged), and counts and times those on orders: the order metrics
 * keep their meaning (an order created, a repeat of one).
 */
export function idempotencyTelemetry(metrics: Metrics): OrderObserver {
  return {
    onDecision(event, request) {
      const decision = decisionOf(event);
      if (ORDER_OPERATIONS.includes(event.operation)) {
        const seconds = event.latencyMs / 1000;
        metrics.idempotencyDecisions.inc({ decision, source: event.layer ?? '', claim: event.claim });
        if (decision === 'duplicate') metrics.duplicateDetectionSeconds.observe({ source: event.layer ?? '' }, seconds);
        if (decision === 'created') metrics.orderCreationSeconds.observe(seconds);
      }
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
