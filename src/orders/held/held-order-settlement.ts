import { Prisma } from '../../db/prisma';
import type { SqlRunner } from '../../db/sql-runner';
import { compareOrders } from '../../dedupe/order-matcher';
import { answerKeysSql } from '../answered-keys';
import { retriedHoldSql, retriesHeldRequestSql } from './retried-hold';
import type { HeldOrderRow, HeldOrderWrite } from './held-order';

/**
 * How long after its hold a held order an admin released still answers the customer's
 * confirmation of it (see heldOrdersConfirmed): a day, as long as a completed key answers from
 * Redis by default. The customer confirms in answer to the hold, usually within minutes; a
 * confirmation later than this is a decision of its own, and places an order.
 */
export const RELEASE_ANSWERS_CONFIRMATION_MS = 24 * 60 * 60 * 1000;

/**
 * The statement writeOrder sends just before the one that locks the products (so it never lengthens
 * a hot product's lock; a refusal after it rolls it back with the order) that settles held orders: a release marks its held order RELEASED by the
 * admin; any other order of the customer marks PLACED the held request it retries (retriedHoldSql:
 * placed because its candidate was cancelled since) and `sameContent` (heldOrdersConfirmed: when
 * the customer confirmed a possible duplicate, the held or dismissed orders with that content,
 * placed now under a new key, so an admin's later release, or a retry of a dismissed key, would
 * place it twice).
 * Only where the customer's lock was taken (a semantic policy, or a release): release and dismiss
 * take that lock before the held row's, so the two never wait on each other in reverse order.
 */
export function settleHeldOrdersSql(
  write: HeldOrderWrite,
  orderId: string,
  sameContent: readonly string[] = [],
): Prisma.Sql {
  if (write.release) {
    return Prisma.sql`
      UPDATE "HeldOrder" SET "status" = 'RELEASED', "orderId" = ${orderId}::uuid, "resolvedBy" = ${write.release.adminId},
             "resolvedAt" = now(), "updatedAt" = now()
      WHERE "id" = ${write.release.heldOrderId}::uuid`;
  }
  const ofContent =
    sameContent.length > 0
      ? Prisma.sql` OR (h."customerId" = ${write.customerId} AND h."status" IN ('HELD', 'DISMISSED')
          AND h."id" = ANY(${sameContent}::uuid[]))`
      : Prisma.empty;
  // A held order placed under another key (a confirmation's, another delivery's) leaves its own key
  // answered with this order (answered-keys.ts): a retry of the held key then places nothing,
  // however late it comes.
  return Prisma.sql`
    WITH placed AS (
      UPDATE "HeldOrder" h SET "status" = 'PLACED', "orderId" = ${orderId}::uuid, "resolvedBy" = h."customerId",
             "resolvedAt" = now(), "updatedAt" = now()
      WHERE ${retriedHoldSql(write)}${ofContent}
      RETURNING h."customerId", h."idempotencyKey", h."fingerprint"
    )
    ${answerKeysSql(Prisma.sql`SELECT "customerId", "idempotencyKey", "fingerprint", ${orderId}::uuid FROM placed
    WHERE "idempotencyKey" <> ${write.idempotencyKey}`)}`;
}

/**
 * The customer's held orders a confirmation (a new key with confirmPossibleDuplicate) may answer,
 * as a condition on "HeldOrder" h: those still held or dismissed (the customer places on purpose
 * what an admin dropped), and those an admin released (their order not cancelled since) within
 * RELEASE_ANSWERS_CONFIRMATION_MS of the hold that no other confirmation was answered with.
 */
function confirmableSql(write: HeldOrderWrite): Prisma.Sql {
  return Prisma.sql`h."customerId" = ${write.customerId} AND (h."status" IN ('HELD', 'DISMISSED') OR (h."status" = 'RELEASED'
      AND h."createdAt" > now() - ${RELEASE_ANSWERS_CONFIRMATION_MS}::int * interval '1 millisecond'
      AND (h."confirmationKey" IS NULL OR h."confirmationKey" = ${write.idempotencyKey})
      AND EXISTS (SELECT 1 FROM "Order" o WHERE o."id" = h."orderId" AND o."status" <> 'CANCELLED')))`;
}

/**
 * Whether a new order (not a release) may have held orders to settle (settleHeldOrdersSql) or, for
 * a confirmation, to be answered by (heldOrdersConfirmed tells which), as an SQL boolean. Asked
 * under the customer's lock, which every writer of a held order takes first (holdOrder, release,
 * dismiss), so the answer holds until the transaction ends: writeOrder asks it in its candidate
 * lookup and sends the settling statement only when it is true, which it rarely is.
 */
export function hasHeldOrdersToSettleSql(write: HeldOrderWrite): Prisma.Sql {
  if (write.confirmed) return Prisma.sql`EXISTS (SELECT 1 FROM "HeldOrder" h WHERE ${confirmableSql(write)})`;
  return retriesHeldRequestSql(write);
}

/**
 * What a confirmed order finds of the holds it answers: the held (and dismissed) orders it places
 * again under its new key (settleHeldOrdersSql marks them PLACED, so that an admin's later release,
 * or a retry of the held key, would not place the intent twice), or, when none is still held, the
 * order an admin's release already placed:
 * placing another would make the intent two orders, so the confirmation is answered with that one
 * (answeredByReleaseSql).
 */
export type ConfirmedHolds =
  { kind: 'held'; heldOrderIds: string[] } | { kind: 'released'; heldOrderId: string; orderId: string };

/**
 * The holds a confirmed order answers: those the matcher finds equivalent to it (the same items and
 * currency, the same delivery however typed). The door it came through is not compared, as the
 * matcher does not (a customer may confirm from the app a checkout held on the web), nor is the
 * text exactly: a confirmation that retypes the city's case is the same intent. Under the
 * customer's lock (see hasHeldOrdersToSettleSql); only for confirmations, which are rare.
 */
export async function heldOrdersConfirmed(
  sql: SqlRunner,
  write: HeldOrderWrite,
  order: { createdAt: Date },
): Promise<ConfirmedHolds> {
  type Confirmable = Pick<HeldOrderRow, 'id' | 'request' | 'createdAt' | 'status' | 'orderId' | 'confirmationKey'>;
  const rows = await sql.query<Confirmable>(Prisma.sql`
    SELECT h."id", h."request", h."createdAt", h."status", h."orderId", h."confirmationKey" FROM "HeldOrder" h
    WHERE ${confirmableSql(write)} ORDER BY h."resolvedAt" DESC NULLS LAST`);
  const confirmed = { customerId: write.customerId, ...write.request, createdAt: order.createdAt };
  const equivalent = rows.filter((held) => {
    const heldOrder = { customerId: write.customerId, ...held.request, createdAt: new Date(held.createdAt) };
    return compareOrders(confirmed, heldOrder, Number.POSITIVE_INFINITY).equivalent;
  });
  const releases = equivalent.filter((row) => row.status === 'RELEASED');
  const open = equivalent.filter((row) => row.status !== 'RELEASED');
  // A dismissed one alone does not outweigh a release: the confirmation is then that release's.
  if (releases.length === 0 || open.some((row) => row.status === 'HELD'))
    return { kind: 'held', heldOrderIds: open.map((row) => row.id) };
  // A retry of this confirmation finds the release it was answered with; else the latest release.
  const released = releases.find((row) => row.confirmationKey === write.idempotencyKey) ?? releases[0];
  return { kind: 'released', heldOrderId: released.id, orderId: released.orderId! };
}

/**
 * Settles, in writeOrder's transaction, the held orders the order settles (settleHeldOrdersSql).
 * A confirmation that an admin's release already answered settles nothing and places nothing
 * (answeredByReleaseSql): the id of the order that release placed is returned, to answer it with;
 * else null.
 */
export async function settleHeldOrders(
  sql: SqlRunner,
  write: HeldOrderWrite,
  order: { id: string; createdAt: Date },
): Promise<string | null> {
  const confirmed = write.confirmed && !write.release ? await heldOrdersConfirmed(sql, write, order) : null;
  if (confirmed?.kind === 'released') {
    await sql.query(answeredByReleaseSql(write, order.id, confirmed));
    return confirmed.orderId;
  }
  await sql.query(settleHeldOrdersSql(write, order.id, confirmed?.heldOrderIds ?? []));
  return null;
}

/**
 * A confirmation answered by a release: the order row it inserted goes, and the released held order
 * keeps the confirmation's key, so that a retry of it gets the same order and a confirmation under
 * another key places anew (as a second confirmation of a held order does).
 */
export function answeredByReleaseSql(
  write: HeldOrderWrite,
  orderId: string,
  released: Extract<ConfirmedHolds, { kind: 'released' }>,
): Prisma.Sql {
  // The confirmation's key is also kept answered with the released order (answered-keys.ts), so
  // that it means that order for good: its retries, whatever Redis holds, a day later or after the
  // order was cancelled, never place one of their own, and another payload is the key reused.
  return Prisma.sql`
    WITH dropped AS (
      DELETE FROM "Order" WHERE "id" = ${orderId}::uuid
    ), remembered AS (
      ${answerKeysSql(Prisma.sql`VALUES (${write.customerId}, ${write.idempotencyKey}, ${write.fingerprint}, ${released.orderId}::uuid)`)}
    )
    UPDATE "HeldOrder" SET "confirmationKey" = ${write.idempotencyKey}, "updatedAt" = now()
    WHERE "id" = ${released.heldOrderId}::uuid`;
}
