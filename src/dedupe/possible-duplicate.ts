import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import { compareOrders } from './order-matcher';
import type { MatchableOrder, OrderMatch } from './order-matcher';
import type { ShippingAddress } from './shipping-address';

/** A recent equivalent order found for a new one. */
export interface PossibleDuplicateMatch {
  candidateId: string;
  match: OrderMatch;
}

/** The new order, as just inserted in the placement transaction. */
export interface NewOrderFacts extends MatchableOrder {
  id: string;
  semanticFingerprint: string;
}

/**
 * The per-customer lock that serialises equivalent orders sent at once with different keys
 * (transaction-scoped: released at commit or rollback). The placement takes it in the statement
 * that inserts the new order, before it looks for candidates: the second of two concurrent
 * equivalent orders then finds the first one's committed row (READ COMMITTED takes a fresh
 * snapshot per statement) instead of both finding nothing.
 */
export function customerLockSql(customerId: string): Prisma.Sql {
  return Prisma.sql`pg_advisory_xact_lock(hashtext(${customerId}))`;
}

interface CandidateRow {
  id: string;
  customerId: string;
  currency: string;
  shippingAddress: ShippingAddress | null;
  createdAt: Date;
  lines: MatchableOrder['lines'];
}

/**
 * The customer's most recent equivalent order within the window, in one statement, inside the
 * placement transaction and after the customer lock (see customerLockSql) was taken.
 */
export async function findPossibleDuplicate(sql: SqlRunner, order: NewOrderFacts, windowMs: number): Promise<PossibleDuplicateMatch | null> {
  const [candidate] = await sql.query<CandidateRow>(Prisma.sql`
    SELECT o."id", o."customerId", o."currency", o."shippingAddress", o."createdAt",
           COALESCE((SELECT json_agg(json_build_object('sku', i."sku", 'quantity', i."quantity"))
                     FROM "OrderItem" i WHERE i."orderId" = o."id"), '[]'::json) AS "lines"
    FROM "Order" o
    WHERE o."customerId" = ${order.customerId} AND o."semanticFingerprint" = ${order.semanticFingerprint}
      AND o."id" <> ${order.id}::uuid AND o."status" <> 'CANCELLED'
      AND o."createdAt" >= now() - ${windowMs} * interval '1 millisecond'
    ORDER BY o."createdAt" DESC LIMIT 1`);
  if (!candidate) return null;
  return { candidateId: candidate.id, match: compareOrders(order, { ...candidate, createdAt: new Date(candidate.createdAt) }, windowMs) };
}
