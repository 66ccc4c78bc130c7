import { assertPageSize, refuseCursor } from '../request/page-size';
import type { PageRequest } from '../request/page-size';
import { UUID_PATTERN } from '../request/uuid';
import { Prisma } from '../db/prisma';
import type { PrismaClient } from '../db/prisma';
import { isStorableText } from '../db/storable-text';
import { assertStorableDate } from '../request/date-argument';
import type { IdempotencyAuditEvent } from './audit-event.type';
import { DUPLICATE_ATTEMPT_OUTCOMES } from './audit-record';

/** Events a page returns at most. */
export const MAX_AUDIT_PAGE_SIZE = 500;

/** Filters of duplicateAttempts; every one is optional. */
export interface DuplicateAttemptFilter {
  customerId?: string | null;
  /** Attempts that repeated, or were held against, this order. */
  orderId?: string | null;
  since?: Date | null;
  first: number;
  /** The last event of the previous page (its id): the attempts recorded before it. */
  after?: string | null;
}

/** A page of one order's history. */
export interface OrderHistoryPage extends PageRequest {
  orderId: string;
  /** The latest first, `after` going back in time; else the oldest first. */
  newestFirst: boolean;
}

/** An event id as `after` may give it: a positive BIGSERIAL value, at most 2^63 - 1. */
const EVENT_ID_PATTERN = /^[1-9][0-9]{0,18}$/;
const MAX_EVENT_ID = 2n ** 63n - 1n;

type AuditRow = Omit<IdempotencyAuditEvent, 'id' | 'relatedChannel'> & { id: bigint };

/** Reading the audit log (writing goes through AuditLogWriter, which only appends). */
export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Repeats, reuses, in-progress hits, possible duplicates and merges, newest first: by (at, id),
   * from the event `after` names on. An attempt whose record was still being written (repeats are
   * written in batches, up to AUDIT_FLUSH_INTERVAL_MS after their decision) may land behind a client's
   * cursor: a new walk finds it.
   */
  async duplicateAttempts(filter: DuplicateAttemptFilter): Promise<IdempotencyAuditEvent[]> {
    assertPageSize(filter.first);
    if (filter.since) assertStorableDate(filter.since, 'since');
    const cursor = filter.after != null ? await this.attemptCursor(filter.after) : null;
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
        ...(cursor ? { AND: [{ OR: [{ at: { lt: cursor.at } }, { at: cursor.at, id: { lt: cursor.id } }] }] } : {}),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: Math.min(filter.first, MAX_AUDIT_PAGE_SIZE),
    });
    return this.toEvents(rows);
  }

  /**
   * A page of everything recorded about one order (its creation, repeats, holds against it,
   * merges), in the order the events were recorded: by id, which the log hands out as it writes.
   * A batched repeat's record comes a moment after its decision, so paging by `at` could pass over
   * one written late; by id, what is written while a client pages comes after its cursor, where
   * the next pages (or, newest first, a new walk) find it.
   */
  async orderHistory(page: OrderHistoryPage): Promise<IdempotencyAuditEvent[]> {
    assertPageSize(page.first, MAX_AUDIT_PAGE_SIZE);
    const after = page.after === null ? null : await this.historyEventId(page.orderId, page.after);
    if (!UUID_PATTERN.test(page.orderId)) return [];
    const rows = await this.prisma.$queryRaw<AuditRow[]>(historyPageSql(page.orderId, after, page));
    return this.toEvents(rows);
  }

  /** duplicateAttempts' `after`: the time and id of the event it names, refused unless it is an attempt. */
  private async attemptCursor(after: string): Promise<{ at: Date; id: bigint }> {
    const id = EVENT_ID_PATTERN.test(after) && BigInt(after) <= MAX_EVENT_ID ? BigInt(after) : null;
    const event =
      id === null
        ? null
        : await this.prisma.idempotencyAuditEvent.findFirst({
            where: { id, outcome: { in: [...DUPLICATE_ATTEMPT_OUTCOMES] } },
            select: { at: true, id: true },
          });
    if (!event) refuseCursor('`after` must be the id of an event duplicateAttempts gave.');
    return event;
  }

  /** `after` as an event id, refused unless it names an event of the order's history. */
  private async historyEventId(orderId: string, after: string): Promise<bigint> {
    const id = EVENT_ID_PATTERN.test(after) ? BigInt(after) : null;
    const found =
      id !== null && id <= MAX_EVENT_ID && UUID_PATTERN.test(orderId)
        ? await this.prisma.idempotencyAuditEvent.count({
            where: { id, OR: [{ orderId }, { relatedOrderId: orderId }] },
          })
        : 0;
    if (id === null || found === 0) refuseCursor("`after` must be the id of an event of this order's history.");
    return id;
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

/**
 * The page's events: those naming the order, then those pointing at it (relatedOrderId) that do not
 * also name it, each read in id order from its index ((orderId, id), (relatedOrderId, id)) and
 * merged, so a page reads about `first` rows however long the history.
 */
function historyPageSql(orderId: string, after: bigint | null, page: OrderHistoryPage): Prisma.Sql {
  const direction = page.newestFirst ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const beyond =
    after === null
      ? Prisma.empty
      : page.newestFirst
        ? Prisma.sql`AND "id" < ${after}::bigint`
        : Prisma.sql`AND "id" > ${after}::bigint`;
  const branch = (naming: Prisma.Sql) => Prisma.sql`
    (SELECT * FROM "IdempotencyAuditEvent" WHERE ${naming} ${beyond} ORDER BY "id" ${direction} LIMIT ${page.first})`;
  return Prisma.sql`
    SELECT * FROM (
      ${branch(Prisma.sql`"orderId" = ${orderId}::uuid`)}
      UNION ALL
      ${branch(Prisma.sql`"relatedOrderId" = ${orderId}::uuid AND "orderId" IS DISTINCT FROM ${orderId}::uuid`)}
    ) AS "history"
    ORDER BY "id" ${direction}
    LIMIT ${page.first}`;
}
