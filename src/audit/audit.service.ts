import { assertPageSize } from '../request/page-size';
import type { PageRequest } from '../request/page-size';
import { KeysetPaging } from '../request/keyset-page';
import { UUID_PATTERN } from '../request/uuid';
import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
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

/** KeysetList.parseId of the log's events. */
function parseEventId(after: string): Prisma.Sql | null {
  return EVENT_ID_PATTERN.test(after) && BigInt(after) <= MAX_EVENT_ID ? Prisma.sql`${after}::bigint` : null;
}

/** A filter no row passes: an id no row can hold matches nothing, and never reads as "no filter". */
const NONE = Prisma.sql`FALSE`;

const EVENTS = '"IdempotencyAuditEvent"';

/** duplicateAttempts: newest first, by (at, id). */
const DUPLICATE_ATTEMPTS = new KeysetPaging({
  table: EVENTS,
  sortKey: 'at',
  descending: true,
  parseId: parseEventId,
  refusal: '`after` must be the id of an event duplicateAttempts gave.',
});

/** orderHistory: by id alone, the order the log hands ids out in (see orderHistory). */
const HISTORY = {
  table: EVENTS,
  parseId: parseEventId,
  refusal: "`after` must be the id of an event of this order's history.",
};
const HISTORY_OLDEST_FIRST = new KeysetPaging({ ...HISTORY, descending: false });
const HISTORY_NEWEST_FIRST = new KeysetPaging({ ...HISTORY, descending: true });

/** What the log's id column comes back as: a string through pg, a bigint through Prisma (embedded). */
type AuditRow = Omit<IdempotencyAuditEvent, 'id'> & { id: bigint | string };

/** Reading the audit log (writing goes through AuditLogWriter, which only appends). */
export class AuditService {
  constructor(private readonly reads: SqlRunner) {}

  /**
   * Repeats, reuses, in-progress hits, possible duplicates and merges, newest first: by (at, id),
   * from the event `after` names on. An attempt whose record was still being written (repeats are
   * written in batches, up to AUDIT_FLUSH_INTERVAL_MS after their decision) may land behind a client's
   * cursor: a new walk finds it.
   */
  async duplicateAttempts(filter: DuplicateAttemptFilter): Promise<IdempotencyAuditEvent[]> {
    assertPageSize(filter.first);
    if (filter.since) assertStorableDate(filter.since, 'since');
    const attempts = Prisma.sql`"outcome" IN (${Prisma.join(DUPLICATE_ATTEMPT_OUTCOMES)})`;
    const rows = await DUPLICATE_ATTEMPTS.read<AuditRow>(this.reads, {
      after: filter.after ?? null,
      // Any attempt, whatever the filters: a page of other filters gave it, the walk goes on from it.
      cursorScope: attempts,
      statement: (beyond) =>
        withRelatedChannel(
          DUPLICATE_ATTEMPTS,
          Prisma.sql`
            SELECT * FROM ${Prisma.raw(EVENTS)} WHERE ${attempts} AND ${attemptFilters(filter)} AND ${beyond}
            ORDER BY ${DUPLICATE_ATTEMPTS.orderBy()} LIMIT ${Math.min(filter.first, MAX_AUDIT_PAGE_SIZE)}`,
        ),
    });
    return rows.map(toEvent);
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
    const paging = page.newestFirst ? HISTORY_NEWEST_FIRST : HISTORY_OLDEST_FIRST;
    // An id that is not a UUID has no history, so no event of it either.
    const orderId = UUID_PATTERN.test(page.orderId) ? page.orderId : null;
    const rows = await paging.read<AuditRow>(this.reads, {
      after: page.after,
      cursorScope: orderId === null ? NONE : namingOrder(orderId),
      statement: (beyond) =>
        withRelatedChannel(
          paging,
          orderId === null
            ? Prisma.sql`SELECT * FROM ${Prisma.raw(EVENTS)} WHERE ${NONE}`
            : historyPageSql(orderId, page.first, paging, beyond),
        ),
    });
    return rows.map(toEvent);
  }
}

/** Events of the order: it is theirs (orderId), or they point at it (relatedOrderId). */
function namingOrder(orderId: string): Prisma.Sql {
  return Prisma.sql`("orderId" = ${orderId}::uuid OR "relatedOrderId" = ${orderId}::uuid)`;
}

/** duplicateAttempts' filters (ids no row can hold, not a UUID or text PostgreSQL cannot store, match nothing). */
function attemptFilters(filter: DuplicateAttemptFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  // An empty id filters too (on a customer none can be): it never reads as "every customer".
  if (filter.customerId != null)
    conditions.push(isStorableText(filter.customerId) ? Prisma.sql`"customerId" = ${filter.customerId}` : NONE);
  if (filter.orderId) conditions.push(UUID_PATTERN.test(filter.orderId) ? namingOrder(filter.orderId) : NONE);
  if (filter.since) conditions.push(Prisma.sql`"at" >= ${filter.since}::timestamptz`);
  return conditions.length > 0 ? Prisma.join(conditions, ' AND ') : Prisma.sql`TRUE`;
}

/**
 * The page's events with the channel of each one's related order, joined in the page's own
 * statement rather than read by a second one.
 */
function withRelatedChannel(paging: KeysetPaging, events: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT "event".*, "related"."channel" AS "relatedChannel"
      FROM (${events}) AS "event" LEFT JOIN "Order" AS "related" ON "related"."id" = "event"."relatedOrderId"
     ORDER BY ${paging.orderBy('event')}`;
}

function toEvent(row: AuditRow): IdempotencyAuditEvent {
  return { ...row, id: row.id.toString(), relatedChannel: row.relatedChannel ?? null };
}

/**
 * The page's events: those naming the order, then those pointing at it (relatedOrderId) that do not
 * also name it, each read in id order from its index ((orderId, id), (relatedOrderId, id)) and
 * merged, so a page reads about `first` rows however long the history.
 */
function historyPageSql(orderId: string, first: number, paging: KeysetPaging, beyond: Prisma.Sql): Prisma.Sql {
  const branch = (naming: Prisma.Sql) => Prisma.sql`
    (SELECT * FROM ${Prisma.raw(EVENTS)} WHERE ${naming} AND ${beyond} ORDER BY ${paging.orderBy()} LIMIT ${first})`;
  return Prisma.sql`
    SELECT * FROM (
      ${branch(Prisma.sql`"orderId" = ${orderId}::uuid`)}
      UNION ALL
      ${branch(Prisma.sql`"relatedOrderId" = ${orderId}::uuid AND "orderId" IS DISTINCT FROM ${orderId}::uuid`)}
    ) AS "history"
    ORDER BY ${paging.orderBy()}
    LIMIT ${first}`;
}
