import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import { openEmbeddedDatabase } from './embedded-database';
import { applyMigrations } from './migrations/migrator';
import type { ApplyMigrationsResult } from './migrations/migrator';
import { createPrismaClient } from './prisma';
import type { Database } from './prisma';

export type { Database };

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
  const prisma = createPrismaClient({ databaseUrl: mode.databaseUrl, poolSize: config.databasePoolSize });
  return { prisma, close: () => prisma.$disconnect() };
}
