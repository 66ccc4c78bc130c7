import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import type { ComparedCandidate } from '../../dedupe/possible-duplicate';
import type { DuplicateVerdict } from '../duplicate-decision';
import type { HeldOrderWrite, RetriedHold } from './held-order';

/**
 * A held request sent again: how the order transaction recognizes it (under its key, or its
 * door's identity, at any age) and the hold it is answered with.
 */

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
