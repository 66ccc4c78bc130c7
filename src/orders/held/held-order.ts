import { HELD_AGAIN_SOURCE, auditRecordOf, insertAuditRecordsSql } from '../../audit/audit-record';
import type { SalesChannel } from '../../db/generated/enums';
import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import { customerLockSql } from '../../dedupe/possible-duplicate';
import type { ComparedCandidate } from '../../dedupe/possible-duplicate';
import { verdictAudit } from '../duplicate-decision';
import type { DuplicateVerdict } from '../duplicate-decision';
import type { ClaimState } from 'graphql-idempotency';
import type { OrderRequest } from '../order-request';
import type { Order } from '../order.type';

/** What holding or settling needs of an order write (writeOrder's OrderWrite has it all). */
export interface HeldOrderWrite {
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  request: OrderRequest;
  confirmed: boolean;
  external?: { source: string; externalId: string } | null;
  /** The one-time order token's id the request carried, if any. */
  orderTokenId?: string | null;
  audit: { requestId: string; claim: ClaimState; startedAt: number; operation?: string };
  release?: HeldRelease;
}

/**
 * An admin's release of a held order: the held row it settles, who acted, and the hold the admin
 * reviewed (heldAsReviewed), which the placed order keeps as its possible duplicate.
 */
export interface HeldRelease {
  heldOrderId: string;
  adminId: string;
  reviewed: RetriedHold;
}

/** Where a held order stands. */
export type HeldOrderState = 'HELD' | 'RELEASED' | 'DISMISSED' | 'PLACED';

/** One row of "HeldOrder": a held new-key order, with what it takes to place it later. */
export interface HeldOrderRow {
  id: string;
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  channel: SalesChannel;
  /** '' for GraphQL and REST orders. */
  source: string;
  externalId: string | null;
  request: OrderRequest;
  candidateOrderId: string;
  similarity: number;
  reasons: string[];
  status: HeldOrderState;
  orderId: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  dismissReason: string | null;
  /** RELEASED: the confirmation the release answered (see held-order-settlement.ts). */
  confirmationKey: string | null;
  /** The order token the held request carried, which a release places the order with. */
  orderTokenId: string | null;
  /** When it was (last) held; a release, dismissal or settlement leaves it. */
  heldAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** A hold decided: the held row, and the candidate it was held against, as it is now. */
export interface HeldDecision {
  heldOrder: HeldOrderRow;
  candidate: Order;
}

/**
 * The held request an order retries, as the candidate lookup finds it (retriedHoldSql): its row,
 * the key it is kept under, and the candidate it was held against with its placing time.
 */
export interface RetriedHold {
  id: string;
  idempotencyKey: string;
  candidateOrderId: string;
  similarity: number;
  reasons: string[];
  /** null when the candidate is gone (orders are cancelled, never deleted: not expected). */
  candidateCreatedAt: string | null;
  /**
   * The score of the model that decided the first hold (its audit record's, when that record says
   * the model decided: riskMode `decide`, riskAction HOLD); null under today's rule or in shadow mode.
   */
  riskScore: number | null;
  riskModelVersion: string | null;
}

/**
 * Whether the held row `h` ("HeldOrder" h) is the held request this order retries, as an SQL
 * boolean: the customer's, still open (HELD, or DISMISSED: a dismissal ends a review, not the
 * key), with the same content, under the same key or, for a door's order, the same identity in its
 * door (a Standard Webhooks message with a new webhook-id about a held marketplace order). At any
 * age: the key stands for its held request, so the semantic window never lets its retry pass.
 * Other content under the key is the key reused (keyTakenSql), decided before this is asked.
 */
export function retriedHoldSql(write: HeldOrderWrite): Prisma.Sql {
  const { customerId, idempotencyKey, fingerprint, request, external } = write;
  // The identity's branch only in a door's text: a prepared statement's generic plan cannot drop
  // a branch by a parameter's value, and without it the key's unique index answers alone.
  const identity = external
    ? Prisma.sql` OR (h."channel" = ${request.channel}::"SalesChannel" AND h."source" = ${external.source}
        AND h."externalId" = ${external.externalId})`
    : Prisma.empty;
  return Prisma.sql`(h."customerId" = ${customerId} AND h."status" IN ('HELD', 'DISMISSED')
      AND h."fingerprint" = ${fingerprint} AND (h."idempotencyKey" = ${idempotencyKey}${identity}))`;
}

/** Whether the order retries a held request (retriedHoldSql), as an SQL boolean. */
export function retriesHeldRequestSql(write: HeldOrderWrite): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "HeldOrder" h WHERE ${retriedHoldSql(write)})`;
}

/**
 * Whether the order retries a held request, asked as its transaction's only statement (committed
 * with it, one round trip, where the runner can): an OFF order whose insert stopped at a held one.
 */
export async function retriesHeldRequest(sql: SqlRunner, write: HeldOrderWrite): Promise<boolean> {
  const statement = Prisma.sql`SELECT ${retriesHeldRequestSql(write)} AS "retries"`;
  const rows = sql.queryEachAndCommit ? (await sql.queryEachAndCommit([statement]))[0] : await sql.query(statement);
  return (rows as { retries: boolean }[])[0]?.retries === true;
}

/** The held request the order retries (retriedHoldSql) as one JSON value, null when there is none. */
export function retriedHoldLookupSql(write: HeldOrderWrite): Prisma.Sql {
  return Prisma.sql`(SELECT json_build_object('id', h."id", 'idempotencyKey', h."idempotencyKey",
      'candidateOrderId', h."candidateOrderId", 'similarity', h."similarity", 'reasons', h."reasons",
      'candidateCreatedAt', c."createdAt", 'riskScore', first."riskScore", 'riskModelVersion', first."riskModelVersion")
    FROM "HeldOrder" h LEFT JOIN "Order" c ON c."id" = h."candidateOrderId"
    LEFT JOIN LATERAL (
      SELECT a."riskScore", a."riskModelVersion" FROM "IdempotencyAuditEvent" a
      WHERE a."customerId" = h."customerId" AND a."idempotencyKey" = h."idempotencyKey"
        AND a."outcome" = 'possible_duplicate_held' AND a."source" IS NULL
        AND a."riskMode" = 'decide' AND a."riskAction" = 'HOLD'
      ORDER BY a."at" LIMIT 1) first ON true
    WHERE ${retriedHoldSql(write)}
    ORDER BY h."idempotencyKey" = ${write.idempotencyKey} DESC LIMIT 1)`;
}

/**
 * The hold a held key sent again is answered with, whatever the live check or the model would say
 * now (its candidate older than the window, the policy or the model changed): the one it was held
 * with, against the same candidate, with the model's score when the model decided it. Not a
 * decision (`resent`): scoring it again would read its own earlier sends as new orders. A release
 * places its order as this hold too (the one the admin reviewed), without `resent` (writeOrder).
 */
export function heldAgainVerdict(
  retried: RetriedHold,
  createdAt: Date,
): DuplicateVerdict & { candidate: ComparedCandidate } {
  const candidateAt = retried.candidateCreatedAt === null ? createdAt : new Date(retried.candidateCreatedAt);
  const scored = retried.riskScore !== null;
  return {
    action: 'HOLD',
    decidedBy: scored ? 'model' : 'static-rule',
    resent: true,
    candidate: {
      candidateId: retried.candidateOrderId,
      match: { equivalent: true, similarity: retried.similarity, reasons: retried.reasons, differences: [] },
      msSinceCandidate: createdAt.getTime() - candidateAt.getTime(),
    },
    score: retried.riskScore,
    modelVersion: scored ? retried.riskModelVersion : null,
  };
}

/**
 * Holds the order in the placement transaction (called by writeOrder once the verdict is HOLD, or
 * when the order retries a held request): the candidate is read again, and if it still stands, one
 * statement drops the order row this transaction inserted, writes the held order (the request, its
 * key, door and candidate) and the audit record of the hold. Everything commits together, or
 * nothing does. A held request retried (`heldKey`, the key it is kept under: the order's own, or
 * another delivery's of the same door identity) keeps its row: a still-held row takes the latest
 * request; a dismissed one is held again for review with it (HELD, the dismissal's resolver, time
 * and reason cleared: the dismissal stays in AppliedChange and the audit log), so the heldOrderId
 * the customer is given is one an admin can act on; a released or placed one stays as it was.
 * Null when the candidate was cancelled meanwhile: nothing to hold against.
 */
export async function holdOrder(
  sql: SqlRunner,
  orderId: string,
  write: HeldOrderWrite,
  verdict: DuplicateVerdict & { candidate: ComparedCandidate },
  heldKey: string = write.idempotencyKey,
): Promise<HeldDecision | null> {
  const { customerId, idempotencyKey, fingerprint, request, external } = write;
  const [candidate] = await sql.query<Order>(Prisma.sql`
    SELECT * FROM "Order" WHERE "id" = ${verdict.candidate.candidateId}::uuid AND "status" <> 'CANCELLED'`);
  if (!candidate) return null;
  const { match } = verdict.candidate;
  const record = auditRecordOf(
    {
      decision: 'possible_duplicate',
      ...(verdict.resent ? { source: HELD_AGAIN_SOURCE } : {}),
      claim: write.audit.claim,
      customerId,
      key: idempotencyKey,
      fingerprint,
      relatedResourceId: candidate.id,
      channel: request.channel,
      salesSource: external?.source,
      latencyMs: performance.now() - write.audit.startedAt,
      at: new Date(),
      operation: write.audit.operation,
      ...verdictAudit(verdict),
    },
    { requestId: write.audit.requestId },
  );
  const [held] = await sql.query<HeldOrderRow>(Prisma.sql`
    WITH dropped AS (
      DELETE FROM "Order" WHERE "id" = ${orderId}::uuid
    ), audit AS (
      ${insertAuditRecordsSql([record])}
    )
    INSERT INTO "HeldOrder" ("id", "customerId", "idempotencyKey", "fingerprint", "channel", "source", "externalId",
                             "request", "candidateOrderId", "similarity", "reasons", "orderTokenId")
    VALUES (gen_random_uuid(), ${customerId}, ${heldKey}, ${fingerprint}, ${request.channel}::"SalesChannel",
            ${external?.source ?? ''}, ${external?.externalId ?? null}, ${JSON.stringify(request)}::jsonb,
            ${candidate.id}::uuid, ${match.similarity}, ${match.reasons}::text[], ${write.orderTokenId ?? null})
    ON CONFLICT ("customerId", "idempotencyKey") DO UPDATE SET
      "fingerprint" = EXCLUDED."fingerprint", "channel" = EXCLUDED."channel", "source" = EXCLUDED."source",
      "externalId" = EXCLUDED."externalId", "request" = EXCLUDED."request",
      "candidateOrderId" = EXCLUDED."candidateOrderId", "similarity" = EXCLUDED."similarity",
      "reasons" = EXCLUDED."reasons", "orderTokenId" = EXCLUDED."orderTokenId", "updatedAt" = now(), "heldAt" = now(),
      "status" = 'HELD', "resolvedBy" = NULL, "resolvedAt" = NULL, "dismissReason" = NULL
      WHERE "HeldOrder"."status" IN ('HELD', 'DISMISSED')
    RETURNING *`);
  const heldOrder =
    held ??
    (
      await sql.query<HeldOrderRow>(Prisma.sql`
      SELECT * FROM "HeldOrder" WHERE "customerId" = ${customerId} AND "idempotencyKey" = ${heldKey}`)
    )[0];
  return { heldOrder, candidate };
}

/**
 * The held order, locked, after its customer's lock (the order the placement takes them in: see
 * settleHeldOrdersSql); null when there is none.
 */
export async function lockHeldOrder(sql: SqlRunner, heldOrderId: string): Promise<HeldOrderRow | null> {
  const [owner] = await sql.query<{ customerId: string }>(Prisma.sql`
    SELECT "customerId" FROM "HeldOrder" WHERE "id" = ${heldOrderId}::uuid`);
  if (!owner) return null;
  const [held] = await sql.query<HeldOrderRow>(Prisma.sql`
    SELECT h.* FROM (SELECT ${customerLockSql(owner.customerId)}) AS "customerLock", "HeldOrder" h
    WHERE h."id" = ${heldOrderId}::uuid FOR UPDATE OF h`);
  return held ?? null;
}

/**
 * The hold as the admin reviewed it (heldOrders shows the candidate, similarity and reasons): a
 * release places its order as a possible duplicate of that candidate, not of whatever the live
 * check would find now (the order an earlier release of the same cart placed, say).
 */
export async function heldAsReviewed(sql: SqlRunner, held: HeldOrderRow): Promise<RetriedHold> {
  const [candidate] = await sql.query<{ createdAt: Date }>(Prisma.sql`
    SELECT "createdAt" FROM "Order" WHERE "id" = ${held.candidateOrderId}::uuid`);
  const { id, idempotencyKey, candidateOrderId, similarity, reasons } = held;
  const candidateCreatedAt = candidate ? new Date(candidate.createdAt).toISOString() : null;
  // The release is the admin's decision: the placed order keeps the hold's match, not a score.
  return {
    id,
    idempotencyKey,
    candidateOrderId,
    similarity,
    reasons,
    candidateCreatedAt,
    riskScore: null,
    riskModelVersion: null,
  };
}

export async function findHeldOrder(sql: SqlRunner, heldOrderId: string): Promise<HeldOrderRow | null> {
  const [held] = await sql.query<HeldOrderRow>(Prisma.sql`SELECT * FROM "HeldOrder" WHERE "id" = ${heldOrderId}::uuid`);
  return held ?? null;
}

/**
 * Marks the held order PLACED by the order that already holds its key or its door's identity (a
 * retry of the key placed it where no customer lock was taken, or another delivery of the same
 * marketplace order was released); null when no order does.
 */
export async function settleByExistingOrder(sql: SqlRunner, held: HeldOrderRow): Promise<HeldOrderRow | null> {
  const [settled] = await sql.query<HeldOrderRow>(Prisma.sql`
    UPDATE "HeldOrder" h SET "status" = 'PLACED', "orderId" = o."id", "resolvedBy" = h."customerId",
           "resolvedAt" = now(), "updatedAt" = now()
    FROM "Order" o
    WHERE h."id" = ${held.id}::uuid
      AND ((o."customerId" = h."customerId" AND o."idempotencyKey" = h."idempotencyKey")
        OR (h."externalId" IS NOT NULL AND o."channel" = h."channel" AND o."source" = h."source"
            AND o."externalId" = h."externalId"))
    RETURNING h.*`);
  return settled ?? null;
}

/** Marks the held order DISMISSED by the admin. */
export async function dismissHeldOrder(
  sql: SqlRunner,
  held: HeldOrderRow,
  adminId: string,
  reason: string,
): Promise<HeldOrderRow> {
  const [dismissed] = await sql.query<HeldOrderRow>(Prisma.sql`
    UPDATE "HeldOrder" SET "status" = 'DISMISSED', "resolvedBy" = ${adminId}, "dismissReason" = ${reason},
           "resolvedAt" = now(), "updatedAt" = now()
    WHERE "id" = ${held.id}::uuid
    RETURNING *`);
  return dismissed;
}
