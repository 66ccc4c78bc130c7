import { CREATE_ORDER, decisionOf } from '../idempotency/order-decision-event';
import type { OrderDecisionEvent, OrderObserver } from '../idempotency/order-decision-event';
import type { AuditLogWriter } from './audit-log-writer';
import { auditRecordOf } from './audit-record';
import type { AuditedDecision } from './audit-record';

/**
 * Records every decision of every guarded operation in the audit log, with its operation (buffered:
 * it never waits for the database), except those already written durably with what they decided (a
 * created order's record and a hold's commit in the order's own transaction, a lifecycle
 * mutation's in the change's).
 */
export function auditObserver(writer: AuditLogWriter): OrderObserver {
  return {
    onDecision(event, request) {
      if (event.metadata.recorded) return;
      // A decision taken before the request was read has no scope: its sender is the customer.
      const customerId = event.scope ?? request.viewer?.customerId;
      writer.enqueue(auditRecordOf({ ...auditedDecisionOf(event), customerId }, request));
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
    resourceId: orderIdOf(event),
    relatedResourceId: metadata.relatedResourceId,
    semanticMatch: metadata.semanticMatch,
    channel: metadata.channel,
    salesSource: metadata.salesSource,
    riskScore: metadata.riskScore,
    riskModelVersion: metadata.riskModelVersion,
    similarity: metadata.similarity,
    candidateAgeMs: metadata.candidateAgeMs,
    candidateEquivalent: metadata.candidateEquivalent,
    riskAction: metadata.riskAction,
    riskMode: metadata.riskMode,
    recorded: metadata.recorded,
    operation: event.operation,
    latencyMs: event.latencyMs,
    at: event.at,
  };
}

/**
 * The order a decision is about. A lifecycle key's resource is its AppliedChange, not an order (the
 * column holds orders only): a repeat names the order its arguments name, the same as the first
 * request's (the fingerprint covers them), so that orderHistory lists it. Other answers of a
 * lifecycle key (in progress, reused) may name another order than the key's, and name none.
 */
function orderIdOf(event: OrderDecisionEvent): string | undefined {
  if (event.operation === CREATE_ORDER) return event.resourceId;
  return event.outcome === 'duplicate' ? event.metadata.subjectOrderId : undefined;
}
