import type { RunMode } from '../config/config';
import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import type { ChangingOrder } from './order-replays';

/**
 * The PostgreSQL channel on which a committed change of an order is told to every instance of every
 * region (each region has its own Redis, all share the database): docs/scaling.md#regions.
 */
export const ORDER_CHANGES_CHANNEL = 'order_gate_order_changes';

/**
 * Whether changes are announced (announceOrderChanges) in this mode. The servers mode: to every
 * instance of every region, each of which forgets the order's replay in its own Redis. Not the
 * embedded mode: one process, which forgot its replays itself, and no listener, so its notices would
 * never be read nor pruned (the table grew by a row per change for good).
 */
export function announcesOrderChanges(mode: RunMode): boolean {
  return mode.kind === 'servers';
}

/**
 * The statement to run inside the transaction that changes these orders: one notification per
 * order, its id as the payload. PostgreSQL delivers it to every listener when the transaction
 * commits, and never when it rolls back. Only the id: a payload has an 8000-byte limit that a
 * long key and customer id must never reach (the change would fail), and each listener reads the
 * rest as committed. A notifying commit takes a lock the whole PostgreSQL server shares (its
 * notification queue) until after its commit is flushed and any synchronous standby answered, so
 * the commits of changes (not of new orders) are serialised with each other: rare writes, a short
 * lock, unless the synchronous standby is far (docs/scaling.md#regions). The same statement leaves a
 * notice of each (OrderChangeNotice), from which a region that heard nothing meanwhile catches up
 * (order-changes-catch-up.ts).
 */
export function announceOrderChanges(orderIds: readonly string[]): Prisma.Sql {
  // count(): one int column, not pg_notify's void, which Prisma's raw queries cannot read.
  return Prisma.sql`
    WITH "noticed" AS (
      INSERT INTO "OrderChangeNotice" ("orderId") SELECT unnest(${orderIds}::uuid[]) RETURNING "orderId")
    SELECT count(pg_notify(${ORDER_CHANGES_CHANNEL}, "orderId"::text))::int AS "announced" FROM "noticed"`;
}

/**
 * The moment up to which a LISTENing connection has heard every change, as ms since the epoch (a
 * number whatever the session's time zone; the database's clock): SQL. It is now(), or earlier the
 * start of the oldest transaction of this database still writing (one with an xid): a notice's `at`
 * is its transaction's start, and its COMMIT may wait long after (on the notification lock, on a
 * stalled synchronous standby), so the watermark never passes a change not committed yet, whatever
 * the catch-up's margin, once its transaction has an xid (at its first row lock or write: a change
 * locks its order first, so only the moments from BEGIN to that lock are left to the margin). The
 * statement's own session has no xid outside a transaction. Without pg_read_all_stats,
 * pg_stat_activity shows other roles' sessions without their xid and start: the app's role sees
 * its own, the ones that change orders.
 */
export const DATABASE_HEARD_UP_TO_MS = `floor(extract(epoch FROM LEAST(now(), (
  SELECT min("xact_start") FROM pg_stat_activity WHERE "datname" = current_database() AND "backend_xid" IS NOT NULL
))) * 1000)::float8`;

/** DATABASE_HEARD_UP_TO_MS as read by one statement: the moment, and how far behind that statement's now() it was. */
export interface HeardMoment {
  atMs: number;
  /** now() less the moment (ms, the database's clock): the age of a watermark moved there. */
  lagMs: number;
  /** When the answer came (performance.now(), this process's monotonic clock): the age grows from there. */
  readAt: number;
}

/** The columns of a HeardMoment, "atMs" and "nowMs", for a SELECT list (SQL): heardMomentOf reads them. */
export const HEARD_MOMENT_COLUMNS = `${DATABASE_HEARD_UP_TO_MS} AS "atMs", (extract(epoch FROM now()) * 1000)::float8 AS "nowMs"`;

/** The HeardMoment of a row of HEARD_MOMENT_COLUMNS, answered just now. */
export function heardMomentOf(row: { atMs: number; nowMs: number }): HeardMoment {
  return { atMs: row.atMs, lagMs: row.nowMs - row.atMs, readAt: performance.now() };
}

/** The most ids read in one statement (each a primary-key lookup): a burst is read this many at a time. */
export const CHANGING_ORDERS_BATCH = 500;

/** What forgetting these orders' replays needs, as committed; ids of no order are left out. */
export async function changingOrders(sql: SqlRunner, orderIds: readonly string[]): Promise<ChangingOrder[]> {
  return sql.query<ChangingOrder>(Prisma.sql`
    SELECT "id", "customerId", "idempotencyKey", "fingerprint", "createdAt" FROM "Order" WHERE "id" = ANY(${orderIds}::uuid[])`);
}
