import { ORDER_OPERATIONS, decisionOf } from '../idempotency/order-decision-event';
import type { OrderDecisionEvent, OrderObserver } from '../idempotency/order-decision-event';
import type { AuditLogWriter } from './audit-log-writer';
import { auditRecordOf } from './audit-record';
import type { AuditedDecision } from './audit-record';

/**
 * Records every decision on orders in the audit log (buffered: it never waits for the database),
 * except those already written durably with what they created (a created order's record commits
 * in the order's own transaction).
 */
export function auditObserver(writer: AuditLogWriter): OrderObserver {
  return {
    operations: ORDER_OPERATIONS,
    onDecision(event, request) {
      if (!event.metadata.recorded) writer.enqueue(auditRecordOf(auditedDecisionOf(event), request));
    },
  };
}

/** The guard's event with createOrder's metadata, as the audit log takes it. */
export function auditedDecisionOf(event: OrderDecisionEvent): AuditedDecision {
  const { metadata } = event;
  return {
    decision: decisionOf(event),
    source: event.layer,
    claim: event.claim,
    customerId: event.scope,
    key: event.key,
    fingerprint: event.fingerprint,
    resourceId: event.resourceId,
    relatedResourceId: metadata.relatedResourceId,
    semanticMatch: metadata.semanticMatch,
    channel: metadata.channel,
    riskScore: metadata.riskScore,
    riskModelVersion: metadata.riskModelVersion,
    similarity: metadata.similarity,
    candidateAgeMs: metadata.candidateAgeMs,
    riskAction: metadata.riskAction,
    recorded: metadata.recorded,
    latencyMs: event.latencyMs,
    at: event.at,
  };
}
