import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';
import type { SqlRunner } from './sql-runner';
import type { Transactions } from './transactions';

export { PrismaClient };
export { Prisma } from './generated/client';

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

/** Options of the application's Prisma client. */
export interface PrismaOptions {
  /** PostgreSQL connection string. */
  databaseUrl: string;
  /** Connections in the pg pool. */
  poolSize: number;
}

/**
 * Prisma 7 talks to PostgreSQL through the pg driver adapter (no native query engine), over a pg
 * pool of ours: the order transaction runs straight on the same pool (db/transactions.ts).
 */
export function createPrismaClient(options: PrismaOptions): { prisma: PrismaClient; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize,
    // A dropped connection, or a storm that keeps every connection busy, must surface as an
    // error quickly, not hang a request.
    connectionTimeoutMillis: 5_000,
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { prisma, pool };
}
