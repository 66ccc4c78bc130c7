import type { SalesChannel } from '../db/generated/enums';
import { MAX_INT4 } from '../db/int-range';
import { Prisma } from '../db/prisma';
import type { PrismaClient } from '../db/prisma';
import { announceOrderChanges } from '../orders/order-changes';
import type { ChangingOrder } from '../orders/order-replays';
import type { DuplicateGroup } from './duplicate-scan';
import { placedByChoiceSql } from './placed-by-choice';
import { staleGroupReason } from './stale-group';
import type { LockedOrder } from './stale-group';

/** What a merge did (or, in a dry run, would do). */
export interface MergeSummary {
  groups: number;
  /** Duplicates cancelled (or to cancel). */
  cancelled: number;
  /** Units of stock returned (or to return). */
  unitsReturned: number;
  /** Duplicates already merged, missing, not the survivor's customer's, or placed by choice (placed-by-choice.ts): left alone. */
  skipped: number;
  /**
   * Groups left whole because returning their duplicates' stock would take a product past the
   * largest stock a product holds (an int4); `refusals` says which and what to do.
   */
  refused: number;
  refusals: string[];
}

/** Identifies merge writes in the audit log. */
const MERGE_REQUEST_ID = 'dedupe-merge';

/** An order of the group as locked: what the matcher reads (stale-group.ts), and what a merge writes of it. */
interface DuplicateRow extends LockedOrder {
  idempotencyKey: string;
  fingerprint: string;
  channel: string;
  /** The source within the channel (a marketplace, a store), null when none. */
  salesSource: string | null;
  placedByChoice: boolean;
}

/** An order a merge cancelled: who sent it, through which door. */
export type MergedOrder = Pick<DuplicateRow, 'id' | 'customerId' | 'channel' | 'salesSource'>;

/**
 * Merges each group of a scan report, each in its own transaction: the duplicates still active are
 * cancelled, their stock returned, pointed at the survivor (mergedIntoId) and a `merged` event
 * appended to the audit log. A duplicate already cancelled is left alone, so running the same
 * report again changes nothing. With `apply: false` nothing is written (the transaction rolls back).
 */
export async function mergeDuplicates(
  prisma: PrismaClient,
  groups: Iterable<DuplicateGroup>,
  apply: boolean,
  /**
   * Forgets the stored answers of the orders a group cancels: inside the group's transaction, before
   * the change (a rejection aborts the group), and again once it has committed (a repeat that read
   * the order in between may have stored it as it was).
   */
  forgetReplays: (orders: ChangingOrder[]) => Promise<void> = async () => undefined,
  /** Told, once a group has committed, which orders it cancelled (the risk features count them as confirmed duplicates). */
  onMerged: (orders: MergedOrder[]) => Promise<void> = async () => undefined,
  /** Whether the cancelled orders are announced to the other regions: announcesOrderChanges(mode). */
  announceChanges = true,
): Promise<MergeSummary> {
  const summary: MergeSummary = { groups: 0, cancelled: 0, unitsReturned: 0, skipped: 0, refused: 0, refusals: [] };
  for (const group of groups) {
    summary.groups += 1;
    const outcome = await mergeGroup(prisma, group, apply, forgetReplays, onMerged, announceChanges).catch(
      (error: unknown) => {
        if (error instanceof DryRun) return error.outcome;
        throw error;
      },
    );
    summary.cancelled += outcome.cancelled;
    summary.unitsReturned += outcome.unitsReturned;
    summary.skipped += outcome.skipped;
    if (outcome.refusal) {
      summary.refused += 1;
      summary.refusals.push(outcome.refusal);
    }
  }
  return summary;
}

type GroupOutcome = Pick<MergeSummary, 'cancelled' | 'unitsReturned' | 'skipped'> & {
  changed?: DuplicateRow[];
  refusal?: string;
};

/** Thrown to roll a dry run's transaction back after it has computed what it would do. */
class DryRun extends Error {
  constructor(readonly outcome: GroupOutcome) {
    super('dry run');
  }
}

async function mergeGroup(
  prisma: PrismaClient,
  group: DuplicateGroup,
  apply: boolean,
  forgetReplays: (orders: ChangingOrder[]) => Promise<void>,
  onMerged: (orders: MergedOrder[]) => Promise<void>,
  announceChanges: boolean,
): Promise<GroupOutcome> {
  const outcome = await changeGroup(prisma, group, apply, forgetReplays, announceChanges);
  if (outcome.changed) {
    await forgetReplays(outcome.changed);
    await onMerged(outcome.changed);
  }
  return outcome;
}

async function changeGroup(
  prisma: PrismaClient,
  group: DuplicateGroup,
  apply: boolean,
  forgetReplays: (orders: ChangingOrder[]) => Promise<void>,
  announceChanges: boolean,
): Promise<GroupOutcome> {
  return prisma.$transaction(async (tx) => {
    const outcome: GroupOutcome = { cancelled: 0, unitsReturned: 0, skipped: 0 };
    const ids = group.duplicates.map((duplicate) => duplicate.orderId).filter((id) => id !== group.survivor.orderId);
    // Row locks in id order, the survivor's too: a merge never deadlocks with another, and a live
    // request (a cancel, an address change) cannot change the group while it is judged and merged.
    const locked = await tx.$queryRaw<DuplicateRow[]>`
      SELECT "id", "customerId", "idempotencyKey", "fingerprint", "channel"::text, NULLIF("source", '') AS "salesSource", "status"::text, "createdAt",
             ${placedByChoiceSql(Prisma.sql`"Order"."id"`)} AS "placedByChoice", "currency", "shippingAddress",
             (SELECT coalesce(json_agg(json_build_object('sku', i."sku", 'quantity', i."quantity")), '[]'::json)
                FROM "OrderItem" i WHERE i."orderId" = "Order"."id") AS "lines"
      FROM "Order" WHERE "id" = ANY(${[group.survivor.orderId, ...ids]}::uuid[]) ORDER BY "id" FOR UPDATE`;
    const survivor = locked.find((row) => row.id === group.survivor.orderId);
    const rows = locked.filter((row) => row.id !== group.survivor.orderId);
    // A report may be older than a confirmation, or written by hand: what someone chose is never merged away.
    const active = rows.filter(
      (row) => survivor && row.customerId === survivor.customerId && row.status !== 'CANCELLED' && !row.placedByChoice,
    );
    outcome.skipped = group.duplicates.length - active.length;
    if (!survivor || active.length === 0) return outcome;
    // The report is a snapshot: a group merges only while it still is one (found from outside,
    // stop 39: the survivor cancelled after the scan, or a duplicate re-addressed, and the merge
    // cancelled the order that was left, or one that was no longer a duplicate).
    const stale = staleGroupReason(survivor, active, locked);
    if (stale) return { ...outcome, refusal: `group of ${survivor.id}: ${stale}; scan again` };
    const activeIds = active.map((row) => row.id);
    // Only what an order took comes back: imported history took no stock.
    const items = await tx.orderItem.findMany({
      where: { orderId: { in: activeIds }, order: { stockTaken: true } },
      select: { productId: true, quantity: true },
    });
    const full = await lockProductsToRestock(tx, items);
    if (full)
      return {
        ...outcome,
        refusal: `group of ${survivor.id}: returning ${Number(full.quantity)} × ${full.sku} would take its stock past ${MAX_INT4}; lower the stock (adjustInventory), then merge again`,
      };
    outcome.cancelled = active.length;
    outcome.unitsReturned = items.reduce((sum, item) => sum + item.quantity, 0);
    if (!apply) throw new DryRun(outcome);
    await forgetReplays(active);

    await tx.$executeRaw`
      UPDATE "Order" SET "status" = 'CANCELLED', "mergedIntoId" = ${survivor.id}::uuid, "updatedAt" = now()
      WHERE "id" = ANY(${activeIds}::uuid[])`;
    // The other regions forget these orders' replays when they hear of it, once this commits.
    if (announceChanges) await tx.$queryRaw(announceOrderChanges(activeIds));
    await tx.$executeRaw`
      UPDATE "Product" AS p SET "stock" = p."stock" + v.quantity, "updatedAt" = now()
      FROM (SELECT id, sum(quantity)::int AS quantity
            FROM unnest(${items.map((item) => item.productId)}::uuid[], ${items.map((item) => item.quantity)}::int[]) AS u(id, quantity)
            GROUP BY id ORDER BY id) AS v
      WHERE p."id" = v.id`;
    await tx.idempotencyAuditEvent.createMany({
      data: active.map((row) => ({
        at: new Date(),
        outcome: 'merged',
        claim: 'none',
        customerId: row.customerId,
        idempotencyKey: row.idempotencyKey,
        fingerprint: row.fingerprint,
        channel: row.channel as SalesChannel,
        orderId: row.id,
        relatedOrderId: survivor.id,
        requestId: MERGE_REQUEST_ID,
        latencyMs: 0,
      })),
    });
    return { ...outcome, changed: active };
  });
}

/**
 * Locks the products the group's stock goes back to, in id order (as the restock writes them); the
 * first whose stock the return would take past an int4, else undefined. Found from outside (stop
 * 38, as cancelOrder's): the restock's UPDATE failed with "integer out of range" and the command
 * stopped there, leaving the groups after it unmerged.
 */
async function lockProductsToRestock(
  tx: Prisma.TransactionClient,
  items: { productId: string; quantity: number }[],
): Promise<{ sku: string; quantity: number } | undefined> {
  if (items.length === 0) return undefined;
  const products = await tx.$queryRaw<{ sku: string; stock: number; quantity: number }[]>`
    SELECT p."sku", p."stock", v.quantity
    FROM "Product" AS p
    JOIN (SELECT id, sum(quantity)::bigint AS quantity
          FROM unnest(${items.map((item) => item.productId)}::uuid[], ${items.map((item) => item.quantity)}::int[]) AS u(id, quantity)
          GROUP BY id) AS v ON v.id = p."id"
    ORDER BY p."id" FOR UPDATE OF p`;
  return products.find((product) => Number(product.stock) + Number(product.quantity) > MAX_INT4);
}
