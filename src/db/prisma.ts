import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export { PrismaClient };
export { Prisma } from './generated/client';

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
