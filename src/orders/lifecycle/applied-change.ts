import { insertAuditRecordsSql } from '../../audit/audit-record';
import type { AuditOutcome } from '../../audit/audit-record';
import type { SalesChannel } from '../../db/generated/enums';
import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import type { GuardedAttempt, PreparedRequest, SettledResource } from 'graphql-idempotency';
import type { Viewer } from '../../auth/viewer';
import type { LifecycleOperation } from './operation-scope';

/** One row of "AppliedChange": what a lifecycle key did, once (a refund's row is the refund). */
export interface AppliedChange {
  id: string;
  operation: LifecycleOperation;
  actorId: string;
  idempotencyKey: string;
  fingerprint: string;
  orderId: string | null;
  productId: string | null;
  amountCents: number | null;
  quantityDelta: number | null;
  stockAfter: number | null;
  reason: string | null;
  details: Prisma.JsonValue | null;
  /** releaseHeldOrder, dismissHeldOrder: the held order acted on. */
  heldOrderId: string | null;
  createdAt: Date;
}

/** A lifecycle request as its policy prepared it: who asks, under which key, for which operation, and what. */
export interface PreparedChange<TRequest = unknown> extends PreparedRequest {
  operation: LifecycleOperation;
  actor: Viewer;
  /** The key as the caller sent it. */
  key: string;
  request: TRequest;
}

/** What the new row says besides its key (the columns a change leaves out stay null). */
export type ChangeFields = Partial<
  Pick<
    AppliedChange,
    'orderId' | 'productId' | 'amountCents' | 'quantityDelta' | 'stockAfter' | 'reason' | 'heldOrderId'
  >
> & { details?: Prisma.InputJsonValue };

/** The key's change, if one committed: the arbiter's answer (READ COMMITTED: every statement sees the latest commits). */
export async function findChange(sql: SqlRunner, prepared: PreparedChange): Promise<AppliedChange | null> {
  const [row] = await sql.query<AppliedChange>(Prisma.sql`
    SELECT * FROM "AppliedChange"
    WHERE "actorId" = ${prepared.actor.customerId} AND "operation" = ${prepared.operation}
      AND "idempotencyKey" = ${prepared.key}`);
  return row ?? null;
}

/**
 * Inserts the key's change; null when the unique (actor, operation, key) index already holds one
 * (a twin committed first: this request must then change nothing). Called before the change
 * itself, so a twin waits here for the first request's commit or rollback. Stamped with the
 * clock, not the transaction's start: changes of one row are ordered as they were applied (after its lock).
 */
export async function insertChange(
  sql: SqlRunner,
  prepared: PreparedChange,
  fields: ChangeFields,
): Promise<AppliedChange | null> {
  const [row] = await sql.query<AppliedChange>(Prisma.sql`
    INSERT INTO "AppliedChange"
      ("id", "operation", "actorId", "idempotencyKey", "fingerprint", "orderId", "productId", "amountCents",
       "quantityDelta", "stockAfter", "reason", "details", "heldOrderId", "createdAt")
    VALUES (gen_random_uuid(), ${prepared.operation}, ${prepared.actor.customerId}, ${prepared.key}, ${prepared.fingerprint},
      ${fields.orderId ?? null}::uuid, ${fields.productId ?? null}::uuid, ${fields.amountCents ?? null}::int,
      ${fields.quantityDelta ?? null}::int, ${fields.stockAfter ?? null}::int, ${fields.reason ?? null},
      ${fields.details === undefined ? null : JSON.stringify(fields.details)}::jsonb,
      ${fields.heldOrderId ?? null}::uuid, clock_timestamp())
    ON CONFLICT DO NOTHING
    RETURNING *`);
  return row ?? null;
}

/** The key as its resource, for the claim store and repeats (no replay: a repeat reads the change, one statement). */
export function settledChange(change: AppliedChange): SettledResource {
  return { resourceId: change.id, fingerprint: change.fingerprint, firstSeenAt: change.createdAt };
}

/** What the audit row of a lifecycle decision says beyond the attempt. */
export interface LifecycleDecision {
  outcome: Extract<AuditOutcome, 'created' | 'duplicate' | 'reused' | 'rejected'>;
  orderId?: string | null;
  /** The other order involved (a held order's candidate). */
  relatedOrderId?: string | null;
  channel?: SalesChannel | null;
}

/**
 * The audit row of a lifecycle decision, written in the decision's own transaction (so it commits
 * with the change, or with nothing for a refusal), naming the operation and the caller who acted.
 */
export function lifecycleAuditSql(attempt: GuardedAttempt<PreparedChange>, decision: LifecycleDecision): Prisma.Sql {
  const { prepared } = attempt;
  return insertAuditRecordsSql([
    {
      at: new Date(),
      outcome: decision.outcome,
      source: decision.outcome === 'duplicate' ? 'DATABASE' : null,
      claim: attempt.claim,
      customerId: prepared.actor.customerId,
      idempotencyKey: prepared.key,
      fingerprint: prepared.fingerprint,
      channel: decision.channel ?? null,
      orderId: decision.orderId ?? null,
      relatedOrderId: decision.relatedOrderId ?? null,
      requestId: attempt.requestId,
      latencyMs: performance.now() - attempt.startedAt,
      operation: prepared.operation,
    },
  ]);
}
