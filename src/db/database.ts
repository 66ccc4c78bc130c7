import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import { openEmbeddedDatabase } from './embedded-database';
import { applyMigrations } from './migrations/migrator';
import type { ApplyMigrationsResult } from './migrations/migrator';
import pg from 'pg';
import { createPrismaClient } from './prisma';
import type { Database } from './database.type';
import { pgRunner } from './sql-runner';
import { poolTransactions } from './transactions';

export type { Database };

/** Connections of the background pool (audit batches): enough for one writer, apart from requests. */
const BACKGROUND_POOL_SIZE = 2;

/**
 * Opens the database of the configured mode and, when MIGRATE_ON_START is on, applies pending
 * migrations first.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  const { mode } = config;
  const onMigrated = ({ applied }: ApplyMigrationsResult) =>
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database schema is up to date');

  if (mode.kind === 'embedded') {
    return openEmbeddedDatabase({ dataDir: mode.dataDir, migrate: config.migrateOnStart, onMigrated });
  }
  if (config.migrateOnStart) onMigrated(await applyMigrations(mode.databaseUrl));
  const { prisma, pool } = createPrismaClient({ databaseUrl: mode.databaseUrl, poolSize: config.databasePoolSize });
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection lost'));
  const background = new pg.Pool({
    connectionString: mode.databaseUrl,
    max: BACKGROUND_POOL_SIZE,
    connectionTimeoutMillis: 5_000,
  });
  // An idle connection that the server drops must not crash the process (pg emits 'error' on the pool).
  background.on('error', (error) => logger.warn({ err: error }, 'background database connection lost'));
  return {
    prisma,
    background: pgRunner(background),
    transactions: poolTransactions(pool),
    async close() {
      await prisma.$disconnect();
      await Promise.allSettled([pool.end(), background.end()]);
    },
  };
}
