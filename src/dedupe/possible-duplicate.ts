import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import { compareOrders, matchWithoutAddress } from './order-matcher';
import type { MatchableOrder, OrderMatch } from './order-matcher';
import type { ShippingAddress } from './shipping-address';

/**
 * The live lookup of possible duplicates. The placement (`judgeCandidates` in
 * src/orders/order-write.ts) takes the customer's lock (customerLockSql), reads the candidates
 * (findCandidates), compares each with the new order (compareCandidates) and lets the channel's
 * decision (src/orders/duplicate-decision.ts: today's rule, or a model's score) judge them.
 */

/** A recent equivalent order found for a new one: its id (the caller loads what it needs) and the match. */
export interface PossibleDuplicateMatch {
  candidateId: string;
  match: OrderMatch;
}

/** The new order, as just inserted in the placement transaction. */
export interface NewOrderFacts extends MatchableOrder {
  id: string;
  /** Its cart signature (cart-signature.ts), as written in the row. */
  cartSignature: string;
}

/**
 * Delivery addresses compared per check, the most recent order of each, most recent first. Orders
 * to one address are one candidate (the most recent: the closest in time, as the rule and the model
 * pick among equals), so a customer's many orders to one place never push another place's order
 * out of the check (20 same-cart orders to one address hid an exact resend to another). This bounds
 * the CPU of a customer with that many distinct addresses for one cart in the window (10–35 µs a pair;
 * addresses made to be slow cost more, and COMPARISON_BUDGET bounds those).
 */
export const MAX_CANDIDATES = 100;

/** A candidate as the lookup reads it. */
export interface CandidateRow {
  id: string;
  customerId: string;
  currency: string;
  createdAt: Date;
  shippingAddress: ShippingAddress | null;
  lines: { sku: string; quantity: number }[];
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

/** A candidate compared with the new order: its id, the match, and how long before the new order it was placed. */
export interface ComparedCandidate extends PossibleDuplicateMatch {
  /** The new order's creation minus the candidate's (ms; negative when a concurrent order committed first). */
  msSinceCandidate: number;
}

/** The rows findCandidates answers: the customer's same-cart orders of the window, most recent first. */
export type CandidateRows = readonly CandidateRow[];

/**
 * The new order's candidates: the customer's orders of the last `windowMs` with its cart signature,
 * not cancelled, the most recent per delivery address, most recent first, at most MAX_CANDIDATES
 * (one indexed query, lines included).
 */
export async function findCandidates(sql: SqlRunner, order: NewOrderFacts, windowMs: number): Promise<CandidateRows> {
  return sql.query<CandidateRow>(candidatesSql(order, windowMs));
}

/** findCandidates' query, for a caller that asks more in the same statement (writeOrder). */
export function candidatesSql(
  order: Pick<NewOrderFacts, 'id' | 'customerId' | 'cartSignature'>,
  windowMs: number,
): Prisma.Sql {
  return Prisma.sql`
    SELECT latest.*,
           (SELECT coalesce(json_agg(json_build_object('sku', i."sku", 'quantity', i."quantity")), '[]'::json)
              FROM "OrderItem" i WHERE i."orderId" = latest."id") AS "lines"
    FROM (SELECT DISTINCT ON (o."shippingAddress") o."id", o."customerId", o."currency", o."createdAt", o."shippingAddress"
          FROM "Order" o
          WHERE ${sameCartOrdersSql(order, windowMs)}
          ORDER BY o."shippingAddress", o."createdAt" DESC) AS latest
    ORDER BY latest."createdAt" DESC LIMIT ${MAX_CANDIDATES}`;
}

/**
 * What makes an order `o` a candidate for the new one: the customer's, with the same cart
 * signature, not cancelled, placed within the window (and not the new order itself).
 */
export function sameCartOrdersSql(
  order: Pick<NewOrderFacts, 'id' | 'customerId' | 'cartSignature'>,
  windowMs: number,
): Prisma.Sql {
  return Prisma.sql`o."customerId" = ${order.customerId} AND o."cartSignature" = ${order.cartSignature}
      AND o."id" <> ${order.id}::uuid AND o."status" <> 'CANCELLED'
      AND o."createdAt" >= now() - ${windowMs} * interval '1 millisecond'`;
}

/**
 * How much comparing one order may do, counted as pairs of characters: each candidate costs the
 * length of the new order's address times the length of its own (the matcher's work grows with
 * both, and it runs inside the order's transaction, on the event loop every request shares). Two
 * addresses of 35 characters cost about 1,200 (a hundred candidates, the lookup's most, 120,000);
 * two of 230 (200 characters of repeated words in line2, made to be slow: 8–20 ms a pair here, where
 * an ordinary pair takes tens of microseconds) cost 53,000, so after the fourth no address is compared. A count,
 * not a clock: the same order and candidates always get the same answer, however busy the machine.
 */
export const COMPARISON_BUDGET = 200_000;

/** An address's length in characters, as the budget counts it (0 without one). */
function addressLength(address: ShippingAddress | null | undefined): number {
  if (!address) return 0;
  const { name, line1, line2, city, region, postalCode, country } = address;
  return [name, line1, line2, city, region, postalCode, country].reduce((sum, field) => sum + (field?.length ?? 0), 0);
}

/**
 * The candidates compared with the new order, most recent first, each only when asked for (the
 * matcher costs 10–35 µs a pair, and today's rule stops at the first equivalent one). CPU only.
 * Once `budget` is spent the addresses left are not compared (a candidate without one still is:
 * that costs nothing) but taken for the same place: unsure, the stronger rule holds (or flags)
 * rather than places.
 */
export function* compareCandidates(
  order: NewOrderFacts,
  rows: CandidateRows,
  windowMs: number,
  budget = COMPARISON_BUDGET,
): Generator<ComparedCandidate> {
  const orderLength = addressLength(order.shippingAddress);
  let spent = 0;
  for (const row of rows) {
    const candidate = { ...row, createdAt: new Date(row.createdAt) };
    const overBudget = spent > budget && order.shippingAddress != null && candidate.shippingAddress != null;
    spent += orderLength * addressLength(candidate.shippingAddress);
    const match = overBudget
      ? matchWithoutAddress(
          order,
          candidate,
          windowMs,
          "shipping address not compared (this order's comparisons reached their budget): taken for the same, to be safe",
        )
      : compareOrders(order, candidate, windowMs);
    yield { candidateId: row.id, match, msSinceCandidate: order.createdAt.getTime() - candidate.createdAt.getTime() };
  }
}
