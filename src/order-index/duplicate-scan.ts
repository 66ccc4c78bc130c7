import type { PrismaClient } from '../db/prisma';
import { compareOrders, DEFAULT_SEMANTIC_WINDOW_MS } from '../dedupe/order-matcher';
import type { MatchableOrder } from '../dedupe/order-matcher';
import type { ShippingAddress } from '../dedupe/shipping-address';

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
  /** Receives each complete group as soon as it is known (so groups need not be held in memory). */
  onGroup: (group: DuplicateGroup) => void | Promise<void>;
  onProgress?: (ordersScanned: number) => void;
}

interface ScannedOrder extends MatchableOrder {
  ref: OrderRef;
}

interface OpenGroup {
  survivor: ScannedOrder;
  duplicates: OrderRef[];
  similarity: number;
  reasons: string[];
}

interface OrderRow {
  id: string;
  customerId: string;
  createdAt: Date;
  channel: string;
  externalId: string | null;
  currency: string;
  shippingAddress: ShippingAddress | null;
}

/**
 * Finds groups of equivalent orders among the stored ones with the live path's matcher: orders are
 * read in keyset pages ordered by (customer, createdAt, id), so memory holds one page plus the
 * current customer's orders of the last window, whatever the table's size. An order joins the group
 * of the first recent order it is equivalent to; the group's survivor is its earliest order.
 * Cancelled orders are left out (a merged duplicate is not found again).
 */
export async function scanForDuplicates(prisma: PrismaClient, options: ScanOptions): Promise<{ ordersScanned: number; groups: number }> {
  const windowMs = options.windowMs ?? DEFAULT_SEMANTIC_WINDOW_MS;
  const batchSize = options.batchSize ?? 2_000;
  const since = options.since ?? new Date(0);
  let after: { customerId: string; createdAt: Date; id: string } | null = null;
  let scanned = 0;
  let groups = 0;
  let customer: string | null = null;
  let recent: { order: ScannedOrder; group: OpenGroup | null }[] = [];
  let open: OpenGroup[] = [];
  const closeCustomer = async () => {
    for (const group of open) {
      groups += 1;
      await options.onGroup({ survivor: group.survivor.ref, duplicates: group.duplicates, similarity: group.similarity, reasons: group.reasons });
    }
    open = [];
    recent = [];
  };

  for (;;) {
    const rows: OrderRow[] = after
      ? await prisma.$queryRaw<OrderRow[]>`
          SELECT "id", "customerId", "createdAt", "channel"::text, "externalId", "currency", "shippingAddress" FROM "Order"
          WHERE "status" <> 'CANCELLED' AND "createdAt" >= ${since}
            AND ("customerId", "createdAt", "id") > (${after.customerId}, ${after.createdAt}, ${after.id}::uuid)
          ORDER BY "customerId", "createdAt", "id" LIMIT ${batchSize}`
      : await prisma.$queryRaw<OrderRow[]>`
          SELECT "id", "customerId", "createdAt", "channel"::text, "externalId", "currency", "shippingAddress" FROM "Order"
          WHERE "status" <> 'CANCELLED' AND "createdAt" >= ${since}
          ORDER BY "customerId", "createdAt", "id" LIMIT ${batchSize}`;
    if (rows.length === 0) break;
    const items = await prisma.orderItem.findMany({ where: { orderId: { in: rows.map((row) => row.id) } }, select: { orderId: true, sku: true, quantity: true } });
    const linesOf = new Map<string, { sku: string; quantity: number }[]>();
    for (const item of items) linesOf.set(item.orderId, [...(linesOf.get(item.orderId) ?? []), item]);

    for (const row of rows) {
      if (row.customerId !== customer) {
        await closeCustomer();
        customer = row.customerId;
      }
      const order: ScannedOrder = {
        customerId: row.customerId,
        currency: row.currency,
        lines: linesOf.get(row.id) ?? [],
        shippingAddress: row.shippingAddress,
        createdAt: row.createdAt,
        ref: { orderId: row.id, channel: row.channel, externalId: row.externalId },
      };
      recent = recent.filter((entry) => row.createdAt.getTime() - entry.order.createdAt.getTime() <= windowMs);
      const entry = { order, group: null as OpenGroup | null };
      for (let index = recent.length - 1; index >= 0; index--) {
        const earlier = recent[index]!;
        const match = compareOrders(order, earlier.order, windowMs);
        if (!match.equivalent) continue;
        earlier.group ??= newGroup(earlier.order, open);
        earlier.group.duplicates.push(order.ref);
        earlier.group.similarity = Math.min(earlier.group.similarity, match.similarity);
        if (earlier.group.reasons.length === 0) earlier.group.reasons = match.reasons.filter((reason) => !reason.startsWith('placed '));
        entry.group = earlier.group;
        break;
      }
      recent.push(entry);
    }
    scanned += rows.length;
    const last = rows[rows.length - 1]!;
    after = { customerId: last.customerId, createdAt: last.createdAt, id: last.id };
    options.onProgress?.(scanned);
  }
  await closeCustomer();
  return { ordersScanned: scanned, groups };
}

function newGroup(survivor: ScannedOrder, open: OpenGroup[]): OpenGroup {
  const group: OpenGroup = { survivor, duplicates: [], similarity: 1, reasons: [] };
  open.push(group);
  return group;
}
