import { Prisma } from '../db/prisma';

/**
 * Whether the order `orderId` names was placed by someone's explicit choice although an equivalent
 * order existed, as an SQL boolean: the customer confirmed a possible duplicate (createOrder's
 * `confirmPossibleDuplicate`, audited `possible_duplicate_confirmed`), or a held order became this
 * order (an admin's release, RELEASED; the customer placing it, PLACED). The live check let it
 * through because someone said it is wanted, so a dedupe merge never cancels it: it stands as an
 * order of its own (a survivor at most). The confirmation's audit record is written in batches, a
 * moment after the order commits; the held order is settled in the order's own transaction.
 */
export function placedByChoiceSql(orderId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    EXISTS (SELECT 1 FROM "IdempotencyAuditEvent" a
            WHERE a."orderId" = ${orderId} AND a."outcome" = 'possible_duplicate_confirmed')
    OR EXISTS (SELECT 1 FROM "HeldOrder" h WHERE h."orderId" = ${orderId} AND h."status" IN ('RELEASED', 'PLACED')))`;
}
