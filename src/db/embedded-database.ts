import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { prepareDataDir } from './data-dir';
import { applyMigrationsThrough } from './migrations/migrator';
import { readMigrationHistory } from './migrations/migration-history';
import type { MigrationHistory } from './migrations/migration-history';
import { createPgliteMigrationAdapter } from './migrations/pglite-migration-adapter';
import type { ApplyMigrationsOptions, ApplyMigrationsResult } from './migrations/migrator';
import { PrismaClient } from './prisma';
import type { Database } from './database.type';
import { prismaRunner } from './sql-runner';
import { prismaTransactions } from './transactions';
import { yieldingAdapterFactory } from './yielding-adapter';

/** Options of the embedded database. */
export interface EmbeddedDatabaseOptions {
  /** Folder of the database files; created when missing. */
  dataDir: string;
  /** Apply pending migrations before returning. */
  migrate: boolean;
  /** Told the migrations applied, when `migrate` is on. */
  onMigrated?: (result: ApplyMigrationsResult) => void;
  /**
   * When `migrate` is off: given the migration history, read without changing anything, before the
   * database is used; it throws to refuse the database (which is then closed and unlocked).
   */
  checkHistory?: (history: MigrationHistory) => void;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite) running inside this process, with its files in
 * `dataDir`: the database of the embedded mode, for one process. It is a single connection, so
 * transactions run one after another, and the folder is locked against a second process.
 */
export async function openEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<Database> {
  const lock = await prepareDataDir(options.dataDir);
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create(options.dataDir);
    if (options.migrate) {
      const result = await applyMigrationsThrough(createPgliteMigrationAdapter(pglite), pglite);
      options.onMigrated?.(result);
    } else if (options.checkHistory) options.checkHistory(await readMigrationHistory(pglite));
    // Every query first lets the event loop turn: PGlite alone would hold it for a whole batch.
    const prisma = new PrismaClient({ adapter: yieldingAdapterFactory(new PrismaPGlite(pglite)) });
    const opened = pglite;
    return {
      prisma,
      background: prismaRunner(prisma),
      transactions: prismaTransactions(prisma),
      reads: prismaRunner(prisma),
      async close() {
        await prisma.$disconnect();
        await opened.close();
        await lock.release();
      },
    };
  } catch (error) {
    await pglite?.close().catch(() => undefined);
    await lock.release();
    throw error;
  }
}

/**
 * Applies the pending migrations to the embedded database in `dataDir` and closes it (`npm run
 * migrate` without DATABASE_URL). Refused, naming the process, while a server has the folder open.
 */
export async function migrateEmbeddedDatabase(
  dataDir: string,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  const lock = await prepareDataDir(dataDir);
  let pglite: PGlite | undefined;
  try {
    pglite = await PGlite.create(dataDir);
    return await applyMigrationsThrough(createPgliteMigrationAdapter(pglite), pglite, options);
  } finally {
    await pglite?.close().catch(() => undefined);
    await lock.release();
  }
}
