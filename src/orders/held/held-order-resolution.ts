import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import { customerLockSql } from '../../dedupe/possible-duplicate';
import type { HeldOrderRow, RetriedHold } from './held-order';

/**
 * What an admin's release or dismissal of a held order reads and writes (held-order.service.ts
 * runs them): the held row found and locked, the hold as the admin reviewed it, and its end.
 */

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
