import type { IdempotencyObserver } from '../idempotency/idempotency-event';
import type { AuditLogWriter } from './audit-log-writer';
import { auditRecordOf } from './audit-record';

/**
 * Records every idempotency decision in the audit log (buffered: it never waits for the database),
 * except those already written durably with what they created (a created order's record commits
 * in the order's own transaction).
 */
export function auditObserver(writer: AuditLogWriter): IdempotencyObserver {
  return {
    onDecision(event, request) {
      if (!event.recorded) writer.enqueue(auditRecordOf(event, request));
    },
  };
}
