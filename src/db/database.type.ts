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
  /** Disconnects Prisma (and stops the embedded database). */
  close(): Promise<void>;
}
