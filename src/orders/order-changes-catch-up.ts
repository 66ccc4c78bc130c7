import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import type { HeardWatermarkStore } from '../stores/heard-watermark-store';
import { CHANGING_ORDERS_BATCH, HEARD_MOMENT_COLUMNS, heardMomentOf } from './order-changes';
import type { HeardMoment } from './order-changes';
import { HeardAge } from './order-changes-heard-age';
import type { ChangingOrder } from './order-replays';

/** What forgetting one order's replay in this region did (as the listener counts it). */
export type ForgetOutcome = 'forgotten' | 'absent' | 'failed';

/**
 * How far before the watermark a catch-up reads (ms). A notice's `at` is its transaction's start,
 * and the transaction may commit (and be announced) up to its length later: 5 minutes is five times
 * the longest a change transaction may last (ORDER_TRANSACTION_BUDGET_MS is at most 60 s, a merge's
 * Prisma transaction 5 s); a COMMIT that waits longer (the notification lock, a stalled synchronous
 * standby) is covered by the watermark's cap (DATABASE_HEARD_UP_TO_MS). Both clocks are the
 * database's, so no instance's clock skew enters.
 */
export const CATCH_UP_MARGIN_MS = 300_000;

/** The most notices older than the retention deleted per heartbeat and server. */
const PRUNE_BATCH = 5_000;

export interface OrderChangesCatchUpOptions {
  /** Where this region keeps the moment up to which it has heard every change (its Redis). */
  watermark: HeardWatermarkStore;
  /** IDEMPOTENCY_RETENTION_MS: a claim completed before a change older than this has expired. */
  retentionMs: number;
  metrics: Metrics;
  logger: Logger;
}

/**
 * What a region did not hear while all its listeners were down (a lost connection, a restart of
 * every instance), read again from the notices its changes left (OrderChangeNotice, written with
 * each notification: order-changes.ts). The region's watermark says up to when every change
 * committed was forgotten here; it moves only on a connection that LISTENs: to the moment LISTEN
 * was in force once a catch-up is done, to a heartbeat's moment once what was heard before it is
 * forgotten. A catch-up reads the notices since the watermark less CATCH_UP_MARGIN_MS (never
 * further back than the claims' retention), CHANGING_ORDERS_BATCH a statement, on the listener's
 * connection, and the listener forgets them as it forgets what it hears.
 */
export class OrderChangesCatchUp {
  private readonly warn: (details: Record<string, unknown>) => void;
  /** Where this instance last moved the watermark to: order_gate_order_change_heard_age_seconds. */
  private readonly age = new HeardAge();

  constructor(private readonly options: OrderChangesCatchUpOptions) {
    this.warn = throttledWarning(options.logger, 'order changes: could not keep this region’s heard watermark');
    options.metrics.heardAgeSeconds = () => this.age.seconds();
  }

  /**
   * On a connection that LISTENs already (what commits from now on is heard): forgets what changed
   * since the watermark, then sets it to when it began (DATABASE_HEARD_UP_TO_MS). With no
   * watermark (a first start, a flushed Redis, which took the replays with it) nothing is stale:
   * only sets it. Also writes this region's keep (OrderChangeNoticeKeep) first. Rejects when the database or
   * the watermark could not be read, or when a replay could not be forgotten (a Redis shard failing
   * over): the watermark stays, and the next catch-up reads those notices again. What was
   * forgotten by then stays forgotten.
   */
  async run(sql: SqlRunner, forget: (orders: ChangingOrder[]) => Promise<ForgetOutcome[]>): Promise<void> {
    const { metrics, logger, watermark, retentionMs } = this.options;
    const listenedAt = await heardUpTo(sql);
    await this.keepNotices(sql);
    const kept = await watermark.read();
    if (kept !== null) {
      const startedAt = performance.now();
      const sinceMs = Math.max(kept - CATCH_UP_MARGIN_MS, listenedAt.atMs - retentionMs);
      let reads = 0;
      let orders = 0;
      let failed = 0;
      let after: NoticeCursor = { at: new Date(sinceMs), noticeId: '0' };
      for (;;) {
        const batch = await changedAfter(sql, after);
        reads += 1;
        metrics.orderChangeCatchUpReads.inc();
        if (batch.length === 0) break;
        after = batch.at(-1)!;
        const outcomes = await forget(distinctOrders(batch));
        for (const outcome of outcomes) metrics.orderChangeCatchUpOrders.inc({ outcome });
        orders += outcomes.length;
        failed += outcomes.filter((outcome) => outcome === 'failed').length;
        if (batch.length < CHANGING_ORDERS_BATCH) break;
      }
      const heardUpTo = new Date(kept).toISOString();
      const tookMs = Math.round(performance.now() - startedAt);
      if (failed > 0) throw new Error(`order changes: ${failed} of ${orders} replays caught up on not forgotten`);
      logger.info({ orders, reads, heardUpTo, tookMs }, 'order changes: caught up on what this region did not hear');
    }
    await watermark.advance(listenedAt.atMs);
    this.age.moved(listenedAt);
  }

  /**
   * A heartbeat at `moment` (the database's clock) heard, and every change heard before it forgotten:
   * the watermark moves there. Notices no region needs any more are pruned on the same connection.
   * Failures are logged, never thrown: the watermark stays behind, and a catch-up reads a little more.
   */
  async heard(sql: SqlRunner, moment: HeardMoment): Promise<void> {
    try {
      await this.options.watermark.advance(moment.atMs);
      this.age.moved(moment);
      await this.keepNotices(sql);
      await pruneNotices(sql);
    } catch (error) {
      this.warn({ err: error });
    }
  }

  /**
   * Tells every region's prune how long this one needs notices (its retention and the margin):
   * regions may keep claims for different times, and all prune one table (OrderChangeNoticeKeep).
   */
  private async keepNotices(sql: SqlRunner): Promise<void> {
    await sql.query(Prisma.sql`
      INSERT INTO "OrderChangeNoticeKeep" ("keepMs", "seenAt") VALUES (${this.options.retentionMs + CATCH_UP_MARGIN_MS}, now())
      ON CONFLICT ("keepMs") DO UPDATE SET "seenAt" = GREATEST("OrderChangeNoticeKeep"."seenAt", excluded."seenAt")`);
  }
}

/**
 * Deletes the notices older than the longest keep still needed, and the keeps no longer needed: a
 * keep is needed while seenAt + keepMs is ahead (a region not seen for longer than its own retention
 * and margin holds no claim completed before a notice it did not read). Up to PRUNE_BATCH notices.
 */
async function pruneNotices(sql: SqlRunner): Promise<void> {
  await sql.query(Prisma.sql`
    DELETE FROM "OrderChangeNoticeKeep" WHERE "seenAt" + "keepMs" * interval '1 millisecond' <= now()`);
  await sql.query(Prisma.sql`
    DELETE FROM "OrderChangeNotice" WHERE "id" IN (
      SELECT "id" FROM "OrderChangeNotice"
      WHERE "at" < now() - (SELECT max("keepMs") FROM "OrderChangeNoticeKeep") * interval '1 millisecond'
      ORDER BY "at", "id" LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`);
}

/** DATABASE_HEARD_UP_TO_MS (of this statement: after what ran before it). */
async function heardUpTo(sql: SqlRunner): Promise<HeardMoment> {
  const [row] = await sql.query<{ atMs: number; nowMs: number }>(
    Prisma.sql`SELECT ${Prisma.raw(HEARD_MOMENT_COLUMNS)}`,
  );
  return heardMomentOf(row);
}

/** A notice's place in the catch-up's order: (at, id), the index's. */
interface NoticeCursor {
  /** Exact: the column keeps milliseconds, as a Date does. */
  at: Date;
  noticeId: string;
}

type NoticedOrder = ChangingOrder & NoticeCursor;

/**
 * The next notices after `after`, with their orders as committed. A notice that commits while the
 * catch-up reads, behind its cursor, was heard: LISTEN was on before the catch-up began.
 */
async function changedAfter(sql: SqlRunner, after: NoticeCursor): Promise<NoticedOrder[]> {
  return sql.query<NoticedOrder>(Prisma.sql`
    SELECT n."at", n."id"::text AS "noticeId", o."id", o."customerId", o."idempotencyKey", o."fingerprint", o."createdAt"
    FROM "OrderChangeNotice" n JOIN "Order" o ON o."id" = n."orderId"
    WHERE (n."at", n."id") > (${after.at}::timestamptz, ${after.noticeId}::bigint)
    ORDER BY n."at", n."id" LIMIT ${CHANGING_ORDERS_BATCH}`);
}

/** Each order once (one changed twice has two notices). */
function distinctOrders(batch: readonly NoticedOrder[]): ChangingOrder[] {
  const orders = new Map<string, ChangingOrder>();
  for (const { id, customerId, idempotencyKey, fingerprint, createdAt } of batch)
    orders.set(id, { id, customerId, idempotencyKey, fingerprint, createdAt });
  return [...orders.values()];
}
