import { GraphQLError } from 'graphql';
import { Prisma } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import { UUID_PATTERN } from './uuid';

/**
 * A list that pages with `after`, the id of the last row of the previous page (orders,
 * orderHistory, duplicateAttempts, heldOrders). It is ordered by (sort key, id): the id breaks
 * the sort key's ties, so rows that share one are neither repeated nor hidden at a page boundary.
 */
export interface KeysetList {
  /** The table the list reads and `after` names a row of, quoted: `"Order"`. Its id column is "id". */
  table: string;
  /** The column ordering the list before its id (`createdAt`); absent: the id alone (ids handed out in order). */
  sortKey?: string;
  /** The largest sort key first (newest first). */
  descending: boolean;
  /** Ties, the largest id first: as `descending` unless said (heldOrders breaks them smallest first). */
  idDescending?: boolean;
  /** `after` as an id value, cast (`${after}::uuid`); null when no id has its shape: refused with no statement. */
  parseId(after: string): Prisma.Sql | null;
  /** What an `after` naming no row the list may start after is told (BAD_USER_INPUT, field `after`). */
  refusal: string;
}

/** One page of a list, as its service asks for it. */
export interface KeysetPageRequest {
  /** The id the client sent as `after`; null: from the start. */
  after: string | null;
  /** Which rows of the table `after` may name (the caller's orders: `"customerId" = …`; `TRUE`: any). */
  cursorScope: Prisma.Sql;
  /**
   * The page's statement, ordered by the paging's `orderBy()` and limited. `beyond` is its
   * condition for "after the cursor" over its table's columns, unqualified (`TRUE` on a first page).
   */
  statement(beyond: Prisma.Sql): Prisma.Sql;
}

const NO_CURSOR = Prisma.sql`TRUE`;

/** KeysetList.parseId of a list whose ids are UUIDs. */
export function parseUuid(after: string): Prisma.Sql | null {
  return UUID_PATTERN.test(after) ? Prisma.sql`${after}::uuid` : null;
}

/**
 * Reads a page of a list that pages by keyset, in one statement: the cursor row (the id `after`
 * names, within the list's scope) is joined to the page, so its keys are read where they are
 * compared, and an unknown cursor is seen in the same answer, with no second round trip:
 *
 *   SELECT "page".* FROM (SELECT sortKey, id FROM table WHERE id = $after AND scope) AS "cursor"
 *   LEFT JOIN LATERAL (the page, beyond the cursor's keys) AS "page" ON TRUE
 *
 * No row: no cursor row, a refusal. One row of nulls: the cursor is there, the page empty (a row
 * of the page always has its id).
 */
export class KeysetPaging {
  constructor(private readonly list: KeysetList) {}

  /** The list's order, for its ORDER BY: the sort key, then the id; over `alias`'s columns if given. */
  orderBy(alias?: string): Prisma.Sql {
    const { sortKey, descending, idDescending = descending } = this.list;
    const id = Prisma.sql`${column(alias, 'id')} ${Prisma.raw(idDescending ? 'DESC' : 'ASC')}`;
    if (sortKey === undefined) return id;
    return Prisma.sql`${column(alias, sortKey)} ${Prisma.raw(descending ? 'DESC' : 'ASC')}, ${id}`;
  }

  async read<Row extends { id: unknown }>(runner: SqlRunner, page: KeysetPageRequest): Promise<Row[]> {
    if (page.after === null) return runner.query<Row>(page.statement(NO_CURSOR));
    const id = this.list.parseId(page.after);
    if (id === null) refuseCursor(this.list.refusal);
    const sortKey = column(undefined, this.list.sortKey ?? 'id');
    const rows = await runner.query<Row | { id: null }>(Prisma.sql`
      SELECT "page".*
        FROM (SELECT ${sortKey} AS "sortKey", "id" FROM ${Prisma.raw(this.list.table)}
               WHERE "id" = ${id} AND ${page.cursorScope}) AS "cursor"
        LEFT JOIN LATERAL (${page.statement(this.beyondCursor())}) AS "page" ON TRUE
       ORDER BY ${this.orderBy('page')}`);
    if (rows.length === 0) refuseCursor(this.list.refusal);
    return rows[0].id === null ? [] : (rows as Row[]);
  }

  /**
   * The rows after the cursor's in the list's order. One direction: a row comparison, which an
   * index on (sort key, id) serves as a range. Ties broken the other way (heldOrders): the sort
   * key bounded first, so that an index on it still serves the range, then the tie rule.
   */
  private beyondCursor(): Prisma.Sql {
    const { sortKey, descending, idDescending = descending } = this.list;
    const past = Prisma.raw(descending ? '<' : '>');
    const pastId = Prisma.raw(idDescending ? '<' : '>');
    if (sortKey === undefined) return Prisma.sql`"id" ${pastId} "cursor"."id"`;
    const key = column(undefined, sortKey);
    if (idDescending === descending) return Prisma.sql`(${key}, "id") ${past} ("cursor"."sortKey", "cursor"."id")`;
    const pastOrTied = Prisma.raw(descending ? '<=' : '>=');
    return Prisma.sql`${key} ${pastOrTied} "cursor"."sortKey"
      AND (${key} ${past} "cursor"."sortKey" OR "id" ${pastId} "cursor"."id")`;
  }
}

function column(alias: string | undefined, name: string): Prisma.Sql {
  return Prisma.raw(alias === undefined ? `"${name}"` : `"${alias}"."${name}"`);
}

/** Refuses an `after` that names no row of the list with a typed error (BAD_USER_INPUT, field `after`). */
function refuseCursor(message: string): never {
  throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
}
