import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export { PrismaClient };
export { Prisma } from './generated/client';

/** The application's database, whichever runs it: the PostgreSQL server or the embedded one. */
export interface Database {
  readonly prisma: PrismaClient;
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

/** Prisma 7 talks to PostgreSQL through the pg driver adapter (no native query engine). */
export function createPrismaClient(options: PrismaOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: options.databaseUrl,
    max: options.poolSize,
    // A dropped connection must surface as an error quickly, not hang a request.
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}
