import type pg from 'pg';
import type { Prisma } from './prisma';

/**
 * Runs one SQL statement (a `Prisma.sql` template: text with `$n` placeholders and its values) and
 * returns its rows. The statements of an order transaction are written against this, so the same
 * code runs on a bare `pg` pool client with servers (poolTransactions), inside Prisma's interactive
 * transaction in the embedded mode (prismaTransactions, PGlite has no pg pool) and, for the
 * benchmark's floor, on a bare `pg` client: the floor can never drift from what the server does.
 */
export interface SqlRunner {
  query<T>(statement: Prisma.Sql): Promise<T[]>;
  /**
   * Runs the statements one after another, in one round trip where it can (the servers'
   * transactions; elsewhere absent), and answers each one's rows in order. Each statement sees what
   * committed before it started (READ COMMITTED takes a snapshot per statement in a message too),
   * so a lock taken by one is in force when the next reads.
   */
  queryEach?(statements: readonly Prisma.Sql[]): Promise<unknown[][]>;
  /**
   * queryEach, then COMMIT, in one round trip where it can (the servers' transactions; elsewhere
   * absent). Only for the unit of work that owns the transaction, as its very last step: nothing
   * may follow it, and a RolledBack answered after it rolls nothing back, so its statements must
   * leave nothing behind when they refuse (writeOrder's do).
   */
  queryEachAndCommit?(statements: readonly Prisma.Sql[]): Promise<unknown[][]>;
}

/** Through Prisma (an interactive transaction, or the client): raw statements skip its query compiler. */
export function prismaRunner(client: Pick<Prisma.TransactionClient, '$queryRaw'>): SqlRunner {
  return { query: <T>(statement: Prisma.Sql) => client.$queryRaw<T[]>(statement) };
}

/** Straight through a `pg` client (or pool). */
export function pgRunner(client: Pick<pg.ClientBase, 'query'>): SqlRunner {
  return {
    async query<T>(statement: Prisma.Sql): Promise<T[]> {
      const result = await client.query(statement.text, statement.values);
      return result.rows as T[];
    },
  };
}
