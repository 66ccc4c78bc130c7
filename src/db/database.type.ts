import type { PrismaClient } from './prisma';
import type { SqlRunner } from './sql-runner';
import type { Transactions } from './transactions';

/** The application's database, whichever runs it: the PostgreSQL server or the embedded one. */
export interface Database {
  readonly prisma: PrismaClient;
  /**
   * Statements of background work (audit batches): a small pool of its own with the servers, so
   * that they never queue before requests; the one connection in the embedded mode.
   */
  readonly background: SqlRunner;
  /** Write transactions of the order path. */
  readonly transactions: Transactions;
  /**
   * Raw reads on the request path that Prisma's model queries would make dearer (the products of
   * order items): straight on the request pool with the servers, through Prisma in the embedded mode.
   */
  readonly reads: SqlRunner;
  /** Disconnects Prisma (and stops the embedded database). */
  close(): Promise<void>;
}
