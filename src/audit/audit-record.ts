import type { SalesChannel } from '../db/generated/enums';
import type { IdempotencyDecision, IdempotencyEvent, IdempotencyRequest } from '../idempotency/idempotency-event';

/** Characters of a (possibly malformed) key kept in the log. */
const MAX_RECORDED_KEY_LENGTH = 512;

/**
 * Every outcome the audit log records (the `outcome` column): the guard's decisions (except the
 * held possible duplicate, recorded in its finer forms below) and what only the audit knows of.
 */
export type AuditOutcome =
  | Exclude<IdempotencyDecision, 'possible_duplicate'>
  | 'token_replay'
  | 'possible_duplicate_held'
  | 'possible_duplicate_flagged'
  | 'possible_duplicate_confirmed'
  | 'merged';

/** Outcomes that are attempts to repeat an earlier order (what `duplicateAttempts` lists). */
export const DUPLICATE_ATTEMPT_OUTCOMES: readonly AuditOutcome[] = [
  'duplicate',
  'reused',
  'in_progress',
  'token_replay',
  'possible_duplicate_held',
  'possible_duplicate_flagged',
  'possible_duplicate_confirmed',
  'merged',
];

/** One row of the audit log, as written. */
export interface AuditRecord {
  at: Date;
  outcome: AuditOutcome;
  source: string | null;
  claim: string;
  customerId: string | null;
  idempotencyKey: string;
  fingerprint: string | null;
  channel: SalesChannel | null;
  orderId: string | null;
  relatedOrderId: string | null;
  requestId: string | null;
  latencyMs: number;
}

/** The audit outcome of a guard decision: semantic matches and token replays get their own names. */
export function auditOutcomeOf(event: IdempotencyEvent): AuditOutcome {
  if (event.decision === 'possible_duplicate') return 'possible_duplicate_held';
  if (event.semanticMatch) return `possible_duplicate_${event.semanticMatch}`;
  if (event.decision === 'duplicate' && event.source === 'TOKEN') return 'token_replay';
  return event.decision;
}

/** The row for one guard decision. */
export function auditRecordOf(event: IdempotencyEvent, request: IdempotencyRequest): AuditRecord {
  return {
    at: event.at,
    outcome: auditOutcomeOf(event),
    source: event.source ?? null,
    claim: event.claim,
    customerId: event.customerId ?? null,
    // A malformed key can be long: keep enough of it to recognise, not all of it.
    idempotencyKey: event.key.slice(0, MAX_RECORDED_KEY_LENGTH),
    fingerprint: event.fingerprint ?? null,
    channel: (event.channel as SalesChannel | undefined) ?? null,
    orderId: event.resourceId ?? null,
    relatedOrderId: event.relatedResourceId ?? null,
    requestId: request.requestId,
    latencyMs: event.latencyMs,
  };
}
