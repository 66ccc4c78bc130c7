import type { IdempotencyEvent, IdempotencyObserver, IdempotencyRequest } from './idempotency-event';
import type { Metrics } from '../observability/metrics';

/** Counts, times and logs every idempotency decision. */
export function idempotencyTelemetry(metrics: Metrics): IdempotencyObserver {
  return {
    onDecision(event: IdempotencyEvent, request: IdempotencyRequest) {
      const seconds = event.latencyMs / 1000;
      metrics.idempotencyDecisions.inc({ decision: event.decision, source: event.source ?? '', claim: event.claim });
      if (event.decision === 'duplicate')
        metrics.duplicateDetectionSeconds.observe({ source: event.source ?? '' }, seconds);
      if (event.decision === 'created') metrics.orderCreationSeconds.observe(seconds);
      request.logger.info(
        {
          decision: event.decision,
          source: event.source,
          claim: event.claim,
          customerId: event.customerId,
          idempotencyKey: event.key,
          resourceId: event.resourceId,
          latencyMs: Math.round(event.latencyMs * 100) / 100,
        },
        'idempotency decision',
      );
    },
  };
}
