import { assertPageSize } from '../request/page-size';
import type { PrismaClient } from '../db/prisma';
import { isStorableText } from '../db/storable-text';
import { assertStorableDate } from '../request/date-argument';
import type { IdempotencyAuditEvent } from './audit-event.type';
import { DUPLICATE_ATTEMPT_OUTCOMES } from './audit-record';

/** Events a page returns at most. */
export const MAX_AUDIT_PAGE_SIZE = 500;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Filters of duplicateAttempts; every one is optional. */
export interface DuplicateAttemptFilter {
  customerId?: string | null;
  /** Attempts that repeated, or were held against, this order. */
  orderId?: string | null;
  since?: Date | null;
  first: number;
}

type AuditRow = Omit<IdempotencyAuditEvent, 'id' | 'relatedChannel'> & { id: bigint };

/** Reading the audit log (writing goes through AuditLogWriter, which only appends). */
export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  /** Repeats, reuses, in-progress hits, possible duplicates and merges, newest first. */
  async duplicateAttempts(filter: DuplicateAttemptFilter): Promise<IdempotencyAuditEvent[]> {
    assertPageSize(filter.first);
    if (filter.since) assertStorableDate(filter.since, 'since');
    // Ids no row can hold (not a UUID; text PostgreSQL cannot store, isStorableText) match nothing.
    if (filter.orderId && !UUID_PATTERN.test(filter.orderId)) return [];
    // An empty id filters too (on a customer none can be): it never reads as "every customer".
    if (filter.customerId != null && !isStorableText(filter.customerId)) return [];
    const rows = await this.prisma.idempotencyAuditEvent.findMany({
      where: {
        outcome: { in: [...DUPLICATE_ATTEMPT_OUTCOMES] },
        ...(filter.customerId != null ? { customerId: filter.customerId } : {}),
        ...(filter.orderId ? { OR: [{ orderId: filter.orderId }, { relatedOrderId: filter.orderId }] } : {}),
        ...(filter.since ? { at: { gte: filter.since } } : {}),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: Math.min(filter.first, MAX_AUDIT_PAGE_SIZE),
    });
    return this.toEvents(rows);
  }

  /** Everything recorded about one order, oldest first: its creation, repeats, holds against it, merges. */
  async orderHistory(orderId: string): Promise<IdempotencyAuditEvent[]> {
    if (!UUID_PATTERN.test(orderId)) return [];
    const rows = await this.prisma.idempotencyAuditEvent.findMany({
      where: { OR: [{ orderId }, { relatedOrderId: orderId }] },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      take: MAX_AUDIT_PAGE_SIZE,
    });
    return this.toEvents(rows);
  }

  /** The rows as events, with the channel of each related order (one query for the page). */
  private async toEvents(rows: AuditRow[]): Promise<IdempotencyAuditEvent[]> {
    const relatedIds = [...new Set(rows.flatMap((row) => (row.relatedOrderId ? [row.relatedOrderId] : [])))];
    const related =
      relatedIds.length > 0
        ? await this.prisma.order.findMany({ where: { id: { in: relatedIds } }, select: { id: true, channel: true } })
        : [];
    const channelOf = new Map(related.map((order) => [order.id, order.channel]));
    return rows.map((row) => ({
      ...row,
      id: row.id.toString(),
      relatedChannel: (row.relatedOrderId && channelOf.get(row.relatedOrderId)) || null,
    }));
  }
}
