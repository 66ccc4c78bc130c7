import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/client';
import { survivingDroppedConnections } from './dropped-connections';
import type { DroppedConnectionReporter } from './dropped-connections';

export { PrismaClient };
export { Prisma } from './generated/client';

/** Options of the application's Prisma client. */
export interface PrismaOptions {
  /** PostgreSQL connection string. */
  databaseUrl: string;
  /** Connections in the pg pool. */
  poolSize: number;
  /** How long a caller may wait for a pooled connection, queued or new (ms). Default 5 000. */
  connectionTimeoutMs?: number;
  /** Told of each connection PostgreSQL drops while it is idle in the pool. */
  onDroppedConnection?: DroppedConnectionReporter;
}

/**
 * Prisma 7 talks to PostgreSQL through the pg driver adapter (no native query engine), over a pg
 * pool of ours: the order transaction runs straight on the same pool (db/transactions.ts).
 */
export function createPrismaClient(options: PrismaOptions): { prisma: PrismaClient; pool: pg.Pool } {
  const pool = survivingDroppedConnections(
    new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize,
      // A dropped connection, or a storm that keeps every connection busy, must surface as an
      // error quickly, not hang a request (the server passes ORDER_TRANSACTION_BUDGET_MS).
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    }),
    options.onDroppedConnection,
  );
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { prisma, pool };
}
