import type { IdempotencyObserver } from '../idempotency/idempotency-event';
import type { AuditLogWriter } from './audit-log-writer';
import { auditRecordOf } from './audit-record';

/** Records every idempotency decision in the audit log (buffered: it never waits for the database). */
export function auditObserver(writer: AuditLogWriter): IdempotencyObserver {
  return {
    onDecision(event, request) {
      writer.enqueue(auditRecordOf(event, request));
    },
  };
}
