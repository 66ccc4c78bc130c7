import { Prisma } from '../db/prisma';
import { storableCopy } from '../db/storable-text';
import type { SalesChannel } from '../db/generated/enums';
import type { IdempotencyDecision, ObservedRequest, SemanticMatch } from '../idempotency/order-decision-event';

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
  | 'merged'
  /** The order transaction failed on the database (answered 503); `source` names the failure class (db/database-failure.ts). */
  | 'database_unavailable';

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
  /** The duplicate-risk model's score of a new-key order with a candidate, when a model decided (absent: null). */
  riskScore?: number | null;
  /** The model that gave riskScore (absent: null). */
  riskModelVersion?: string | null;
  /** The mutation decided on (createOrder, the order-lifecycle operations; absent: null, as in rows written before it was recorded). */
  operation?: string | null;
  /** The matcher's similarity of the order and the candidate decided on (absent: null). */
  similarity?: number | null;
  /** Milliseconds from that candidate's creation to the order's (absent: null). */
  candidateAgeMs?: number | null;
  /** Whether the matcher found that candidate equivalent (its verdict; absent: null). */
  candidateEquivalent?: boolean | null;
  /** What the risk model did, or in shadow mode would have done (absent: null). */
  riskAction?: string | null;
  /** How a model took part: decide or shadow (absent: null, no model); see DuplicateVerdict.riskMode. */
  riskMode?: string | null;
  /**
   * The source within the channel the request named (a marketplace's name, a POS store; absent:
   * null, the channel alone): a refused request has no order to name it, and the risk counters
   * count every request under its source (training reads it from here).
   */
  salesSource?: string | null;
}

/**
 * The `source` of a held key sent again (`possible_duplicate_held`): its held order recognised it
 * as a repeat of the held attempt, so it is no decision (training replays it as a retry).
 */
export const HELD_AGAIN_SOURCE = 'HELD';

/** One decision on an order, as the audit log takes it (the guard's event with createOrder's metadata, flattened). */
export interface AuditedDecision {
  decision: IdempotencyDecision;
  /** The layer that recognised a duplicate (CACHE, DATABASE, TOKEN). */
  source?: string;
  claim: string;
  customerId?: string;
  key: string;
  fingerprint?: string;
  resourceId?: string;
  relatedResourceId?: string;
  semanticMatch?: SemanticMatch;
  channel?: string;
  /** The source within the channel (a marketplace's name, a POS store), when the door names one. */
  salesSource?: string;
  riskScore?: number;
  riskModelVersion?: string;
  similarity?: number;
  candidateAgeMs?: number;
  candidateEquivalent?: boolean;
  riskAction?: string;
  riskMode?: string;
  recorded?: boolean;
  /** The mutation decided on (createOrder for every door's orders, the lifecycle mutations'). */
  operation?: string;
  latencyMs: number;
  at: Date;
}

/** The audit outcome of a guard decision: semantic matches and token replays get their own names. */
export function auditOutcomeOf(event: AuditedDecision): AuditOutcome {
  if (event.decision === 'possible_duplicate') return 'possible_duplicate_held';
  if (event.semanticMatch) return `possible_duplicate_${event.semanticMatch}`;
  if (event.decision === 'duplicate' && event.source === 'TOKEN') return 'token_replay';
  return event.decision;
}

/** The row for one guard decision. */
export function auditRecordOf(event: AuditedDecision, request: Pick<ObservedRequest, 'requestId'>): AuditRecord {
  return {
    at: event.at,
    outcome: auditOutcomeOf(event),
    source: event.source ?? null,
    claim: event.claim,
    customerId: event.customerId === undefined ? null : storableCopy(event.customerId),
    // A malformed key can be long: keep enough of it to recognise, not all of it (a NUL or half a
    // surrogate pair as U+FFFD, so that its InvalidIdempotencyKey is recorded too).
    idempotencyKey: storableCopy(event.key.slice(0, MAX_RECORDED_KEY_LENGTH)),
    fingerprint: event.fingerprint ?? null,
    channel: (event.channel as SalesChannel | undefined) ?? null,
    orderId: event.resourceId ?? null,
    relatedOrderId: event.relatedResourceId ?? null,
    requestId: request.requestId,
    latencyMs: event.latencyMs,
    riskScore: event.riskScore ?? null,
    riskModelVersion: event.riskModelVersion ?? null,
    similarity: event.similarity ?? null,
    candidateAgeMs: event.candidateAgeMs ?? null,
    candidateEquivalent: event.candidateEquivalent ?? null,
    riskAction: event.riskAction ?? null,
    riskMode: event.riskMode ?? null,
    operation: event.operation ?? null,
    salesSource: event.salesSource ? storableCopy(event.salesSource) : null,
  };
}

/** The audit table's columns, in the INSERT's order, with the type each value is cast to. */
const AUDIT_COLUMNS: readonly (readonly [keyof AuditRecord, string])[] = [
  ['at', 'timestamptz'],
  ['outcome', 'text'],
  ['source', 'text'],
  ['claim', 'text'],
  ['customerId', 'text'],
  ['idempotencyKey', 'text'],
  ['fingerprint', 'text'],
  ['channel', '"SalesChannel"'],
  ['orderId', 'uuid'],
  ['relatedOrderId', 'uuid'],
  ['requestId', 'text'],
  ['latencyMs', 'float8'],
  ['riskScore', 'float8'],
  ['riskModelVersion', 'text'],
  ['operation', 'text'],
  ['similarity', 'float8'],
  ['candidateAgeMs', 'float8'],
  ['candidateEquivalent', 'bool'],
  ['riskAction', 'text'],
  ['riskMode', 'text'],
  ['salesSource', 'text'],
];

const AUDIT_COLUMN_NAMES = Prisma.raw(AUDIT_COLUMNS.map(([name]) => `"${name}"`).join(', '));

/**
 * The INSERT of audit rows, in one statement however many (a batch's values as arrays through
 * unnest: twenty parameters for any batch; one record's as a row, which PostgreSQL plans in
 * about 0.08 ms less, measured with EXPLAIN on the order transaction's statement). The background
 * writer sends it in batches; the placement transaction embeds it, so a created order's record
 * commits with the order (`when`: only if that condition of the embedding statement holds).
 */
export function insertAuditRecordsSql(
  records: readonly AuditRecord[],
  when: Prisma.Sql = Prisma.sql`true`,
): Prisma.Sql {
  const values =
    records.length === 1
      ? AUDIT_COLUMNS.map(([name, type]) => Prisma.sql`${records[0][name] ?? null}::${Prisma.raw(type)}`)
      : AUDIT_COLUMNS.map(([name, type]) => {
          const column = records.map((record) => record[name] ?? null);
          // An array of an enum is cast from text[]: pg sends arrays as text.
          const cast = type.startsWith('"') ? `text[]::${type}[]` : `${type}[]`;
          return Prisma.sql`${column}::${Prisma.raw(cast)}`;
        });
  const source =
    records.length === 1
      ? Prisma.sql`SELECT ${Prisma.join(values)}`
      : Prisma.sql`SELECT * FROM unnest(${Prisma.join(values)}) AS record`;
  return Prisma.sql`
    INSERT INTO "IdempotencyAuditEvent" (${AUDIT_COLUMN_NAMES})
    ${source} WHERE ${when}`;
}
