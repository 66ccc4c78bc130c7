import type { PrismaClient } from '../db/prisma';
import { DuplicateGrouper } from '../dedupe/duplicate-grouper';
import type { OrderGroup } from '../dedupe/duplicate-grouper';
import { DEFAULT_SEMANTIC_WINDOW_MS } from '../dedupe/order-matcher';
import type { MatchableOrder } from '../dedupe/order-matcher';
import type { ShippingAddress } from '../dedupe/shipping-address';
import { Prisma } from '../db/prisma';
import { placedByChoiceSql } from './placed-by-choice';

/** An order as a report names it. */
export interface OrderRef {
  orderId: string;
  channel: string;
  externalId: string | null;
}

/** One group of the report (../shared/contract/dedupe-report.schema.json). */
export interface DuplicateGroup {
  survivor: OrderRef;
  duplicates: OrderRef[];
  similarity: number;
  reasons: string[];
}

export interface ScanOptions {
  /** Only orders created at or after this time. */
  since?: Date | null;
  /** How far apart equivalent orders may be (ms). Default 10 minutes, as on the live path. */
  windowMs?: number;
  /** Orders read per query. Default 2 000. */
  batchSize?: number;
  /** Receives each complete group as soon as no later order can join it (so groups are not held in memory). */
  onGroup: (group: DuplicateGroup) => void | Promise<void>;
  onProgress?: (ordersScanned: number) => void;
}

interface ScannedOrder extends MatchableOrder {
  ref: OrderRef;
  placedByChoice: boolean;
}

interface OrderRow {
  id: string;
  customerId: string;
  createdAt: Date;
  channel: string;
  externalId: string | null;
  currency: string;
  shippingAddress: ShippingAddress | null;
  lines: { sku: string; quantity: number }[];
  /** Confirmed by the customer or released by an admin although an equivalent order existed (placed-by-choice.ts). */
  placedByChoice: boolean;
}

/**
 * Finds groups of equivalent orders among the stored ones with the live path's matcher and
 * blocking (DuplicateGrouper): orders are read in keyset pages ordered by (customer, createdAt,
 * id), each page with its lines in one query, so memory holds one page plus the current
 * customer's orders of the last window, whatever the table's size. An order joins the group of
 * the most recent equivalent order before it; the group's survivor is its earliest order.
 * Cancelled orders are left out (a merged duplicate is not found again), and an order placed by
 * choice (confirmed by the customer, released by an admin) joins no earlier group: someone said it
 * is wanted, as the live check was told.
 */
export async function scanForDuplicates(
  prisma: PrismaClient,
  options: ScanOptions,
): Promise<{ ordersScanned: number; groups: number }> {
  const windowMs = options.windowMs ?? DEFAULT_SEMANTIC_WINDOW_MS;
  const batchSize = options.batchSize ?? 2_000;
  const since = options.since ?? new Date(0);
  let after: { customerId: string; createdAt: Date; id: string } | null = null;
  let scanned = 0;
  let groups = 0;
  const complete: DuplicateGroup[] = [];
  const grouper = new DuplicateGrouper<ScannedOrder>({
    windowMs,
    onGroup: (group) => complete.push(reportGroup(group)),
    standsAlone: (order) => order.placedByChoice,
  });
  const handOut = async () => {
    for (const group of complete.splice(0)) {
      groups += 1;
      await options.onGroup(group);
    }
  };

  for (;;) {
    const rows = await readPage(prisma, since, after, batchSize);
    if (rows.length === 0) break;
    for (const row of rows) {
      const { id, channel, externalId, ...order } = row;
      grouper.add({ ...order, ref: { orderId: id, channel, externalId } });
    }
    await handOut();
    scanned += rows.length;
    const last = rows[rows.length - 1];
    after = { customerId: last.customerId, createdAt: last.createdAt, id: last.id };
    options.onProgress?.(scanned);
  }
  grouper.flush();
  await handOut();
  return { ordersScanned: scanned, groups };
}

/** One keyset page of orders, each with its lines. */
function readPage(
  prisma: PrismaClient,
  since: Date,
  after: { customerId: string; createdAt: Date; id: string } | null,
  limit: number,
): Promise<OrderRow[]> {
  // The first page starts below every real key: '' sorts first and no uuid is smaller than the nil one.
  const from = after ?? { customerId: '', createdAt: new Date(0), id: '00000000-0000-0000-0000-000000000000' };
  return prisma.$queryRaw<OrderRow[]>`
    SELECT o."id", o."customerId", o."createdAt", o."channel"::text, o."externalId", o."currency", o."shippingAddress",
           (SELECT coalesce(json_agg(json_build_object('sku', i."sku", 'quantity', i."quantity")), '[]'::json)
              FROM "OrderItem" i WHERE i."orderId" = o."id") AS "lines",
           ${placedByChoiceSql(Prisma.sql`o."id"`)} AS "placedByChoice"
    FROM "Order" o
    WHERE o."status" <> 'CANCELLED' AND o."createdAt" >= ${since}
      AND (o."customerId", o."createdAt", o."id") > (${from.customerId}, ${from.createdAt}, ${from.id}::uuid)
    ORDER BY o."customerId", o."createdAt", o."id" LIMIT ${limit}`;
}

function reportGroup(group: OrderGroup<ScannedOrder>): DuplicateGroup {
  const first = group.duplicates[0].match;
  return {
    survivor: group.survivor.ref,
    duplicates: group.duplicates.map((duplicate) => duplicate.order.ref),
    similarity: Math.min(...group.duplicates.map((duplicate) => duplicate.match.similarity)),
    reasons: first.reasons.filter((reason) => !reason.startsWith('placed ')),
  };
}
