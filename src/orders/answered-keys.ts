import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import type { ExternalIdentity } from '../sales-channel/door-keys';
import type { SalesChannel } from '../sales-channel/sales-channel.type';

/**
 * Keys answered with another key's order ("AnsweredKey"): a new key sent with an order token that
 * an order already used is answered with that order, and a held key whose held order a confirmation
 * placed under another key is answered with that order (held-order-settlement.ts). Redis keeps the
 * answer with the key's claim,
 * but only for IDEMPOTENCY_RETENTION_MS and only while Redis keeps it; PostgreSQL decides what a
 * key means, so it keeps this answer too. Otherwise a retry of the key after Redis forgot it (the
 * same request, its token dropped or issued again) would place a second order.
 */

/** What a key was answered with: the order, and the fingerprint of the key's own request. */
export interface AnsweredKey {
  orderId: string;
  fingerprint: string;
}

/**
 * Remembers that the customer's key was answered with this order; a key answered before keeps its
 * first answer (a concurrent request of the same key may have written it), which is returned.
 */
export async function rememberAnsweredKey(
  sql: SqlRunner,
  customerId: string,
  idempotencyKey: string,
  answered: AnsweredKey,
): Promise<AnsweredKey> {
  const [written] = await sql.query<AnsweredKey>(Prisma.sql`
    ${answerKeysSql(Prisma.sql`VALUES (${customerId}, ${idempotencyKey}, ${answered.fingerprint}, ${answered.orderId}::uuid)`)}
    RETURNING "orderId"::text, "fingerprint"`);
  return written ?? (await findAnsweredKey(sql, customerId, idempotencyKey)) ?? answered;
}

/**
 * The statement that keeps keys answered (a key answered before keeps its first answer), for rows
 * `(customerId, idempotencyKey, fingerprint, orderId)`: a VALUES list, or a SELECT of a statement's
 * CTE (the settlement of held orders, a confirmation a release answered).
 */
export function answerKeysSql(rows: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`INSERT INTO "AnsweredKey" ("customerId", "idempotencyKey", "fingerprint", "orderId")
    ${rows}
    ON CONFLICT DO NOTHING`;
}

/** The answer the customer's key was given with another key's order, if it was. */
export async function findAnsweredKey(
  sql: SqlRunner,
  customerId: string,
  idempotencyKey: string,
): Promise<AnsweredKey | null> {
  const [found] = await sql.query<AnsweredKey>(Prisma.sql`
    SELECT "orderId"::text, "fingerprint" FROM "AnsweredKey"
    WHERE "customerId" = ${customerId} AND "idempotencyKey" = ${idempotencyKey}`);
  return found ?? null;
}

/** Whether the customer's key was answered with another order, as an SQL boolean. */
export function keyAnsweredSql(customerId: string, idempotencyKey: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "AnsweredKey" a
    WHERE a."customerId" = ${customerId} AND a."idempotencyKey" = ${idempotencyKey})`;
}

/**
 * What a key is checked with: the customer's key and request, and for a door's order (a marketplace
 * order, a POS receipt) the door's own name for it.
 */
export interface KeyedRequest {
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  request: { channel: SalesChannel };
  external?: ExternalIdentity | null;
}

/**
 * Which held requests take a key: those with other content (the key reused), or under
 * SEMANTIC_DUPLICATE_POLICY=OFF any (insertStopsAtHeldRequests: the insert stops at them and
 * placement finds the answer after, on that rare path).
 */
export type HeldRequests = 'other-content' | 'any';

/**
 * Whether the customer's key stands for something other than this request, as an SQL boolean: it
 * was answered with another order (AnsweredKey), or it (or, for a door's order, the door's identity)
 * holds a request with other content as a possible duplicate (held or dismissed; "HeldOrder" keeps
 * one request per key). The order insert's condition (insertOrderSql): without it a key whose claim
 * Redis forgot would insert an order of its own, and a held key retried with another cart placed it
 * and marked the held request PLACED by it (found from outside, stop 39); the conflict path then
 * finds the answer (CommittedAnswers.existing). It reads the insert's snapshot, taken before the
 * customer's lock was waited for: an answer committed by the transaction that held the lock is
 * asked again after it (the candidate lookup and the quiet check).
 */
export function keyTakenSql(write: KeyedRequest, held: HeldRequests = 'other-content'): Prisma.Sql {
  return Prisma.sql`(${keyAnsweredSql(write.customerId, write.idempotencyKey)} OR ${heldRequestSql(write, held)})`;
}

/**
 * Whether the key holds a request as a possible duplicate (held or dismissed) with other content
 * (or, with `any`, whatever its content), as an SQL boolean. For a door's order its identity too,
 * whatever customer holds it: as the unique (channel, source, externalId) of "Order" makes a placed
 * marketplace order's id stand for that order, so that another message about it with other content
 * is the key reused, a held one stands for its held request (found from outside: such a message,
 * with a new Standard Webhooks webhook-id, was placed as an order of its own). The identity's
 * branch only in a door's text (see retriedHoldSql); the HeldOrder channel_source_externalId index
 * serves it, the unique (customerId, idempotencyKey) one the key's.
 */
export function heldRequestSql(write: KeyedRequest, held: HeldRequests = 'other-content'): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "HeldOrder" h WHERE ${heldRequestCondition(write, held)})`;
}

/**
 * The held request with other content heldRequestSql finds, as a query of its id and the key it
 * was held under (the key's own first, then the identity's): what a partner needs to find it when
 * a new delivery's key brings other content for it.
 */
export function heldRequestRowSql(write: KeyedRequest): Prisma.Sql {
  const own = Prisma.sql`h."customerId" = ${write.customerId} AND h."idempotencyKey" = ${write.idempotencyKey}`;
  return Prisma.sql`SELECT h."id", h."idempotencyKey" FROM "HeldOrder" h
    WHERE ${heldRequestCondition(write, 'other-content')} ORDER BY (${own}) DESC LIMIT 1`;
}

/** The rows (alias h) of HeldOrder heldRequestSql asks about, as an SQL condition. */
function heldRequestCondition(write: KeyedRequest, held: HeldRequests): Prisma.Sql {
  const { customerId, idempotencyKey, fingerprint, request, external } = write;
  const identity = external
    ? Prisma.sql` OR (h."channel" = ${request.channel}::"SalesChannel" AND h."source" = ${external.source}
        AND h."externalId" = ${external.externalId})`
    : Prisma.empty;
  const content = held === 'any' ? Prisma.empty : Prisma.sql` AND h."fingerprint" <> ${fingerprint}`;
  return Prisma.sql`((h."customerId" = ${customerId} AND h."idempotencyKey" = ${idempotencyKey})${identity})
      AND h."status" IN ('HELD', 'DISMISSED')${content}`;
}
