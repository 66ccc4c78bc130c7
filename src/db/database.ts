import { ConfigError } from '../config/config';
import type { Config } from '../config/config';
import { urlWithoutPassword } from '../config/url-without-password';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { openEmbeddedDatabase } from './embedded-database';
import { readMigrationHistoryAt, unmigratedReason } from './migrations/migration-history';
import type { MigrationHistory } from './migrations/migration-history';
import { applyMigrations, historyWarnings, MigrationError, unusableDatabase } from './migrations/migrator';
import type { ApplyMigrationsResult } from './migrations/migrator';
import pg from 'pg';
import { createPrismaClient } from './prisma';
import { survivingDroppedConnections } from './dropped-connections';
import type { Database } from './database.type';
import { pgRunner } from './sql-runner';
import { poolTransactions } from './transactions';
import type { DatabaseFailureObserver } from './transactions';

export type { Database };

/** Connections of the background pool (audit batches): enough for one writer, apart from requests. */
const BACKGROUND_POOL_SIZE = 2;

export interface OpenDatabaseOptions {
  /** Counts each database failure of an order transaction. */
  metrics?: Metrics;
  /**
   * What to do about prisma/migrations first: `apply` the pending ones, `require` that none is
   * pending (read the history, refuse the database otherwise), or `ignore` them (offline commands,
   * which say a missing table themselves). Default: MIGRATE_ON_START's, `apply` or `require`.
   */
  migrations?: 'apply' | 'require' | 'ignore';
}

/**
 * Opens the database of the configured mode. With MIGRATE_ON_START on it applies the pending
 * migrations first; off, it refuses a database that lacks some (or has a failed one), since every
 * query on it would fail while /readyz said ready.
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  { metrics, migrations = config.migrateOnStart ? 'apply' : 'require' }: OpenDatabaseOptions = {},
): Promise<Database> {
  const transactionOptions = {
    budgetMs: config.orderTransactionBudgetMs,
    onFailure: metrics && failureRecorder(metrics, logger),
    preparedStatements: config.databasePreparedStatements,
    onPreparedStatementsOff: (error: unknown) =>
      logger.warn(
        { err: error },
        'a prepared statement was missing on its connection (a pooler in transaction mode?): order transactions no longer prepare their statements; set DATABASE_PREPARED_STATEMENTS=false',
      ),
  };
  const { mode } = config;
  const onMigrated = migrationsApplied(logger);

  if (mode.kind === 'embedded') {
    const checkHistory =
      migrations === 'require' ? migratedRequired(logger, `EMBEDDED_DATA_DIR ${mode.dataDir}`) : undefined;
    return openEmbeddedDatabase({
      dataDir: mode.dataDir,
      migrate: migrations === 'apply',
      onMigrated,
      checkHistory,
    }).catch(refusedStart());
  }
  const { databaseUrl } = mode;
  if (migrations === 'apply') onMigrated(await applyMigrations(databaseUrl).catch(refusedStart(databaseUrl)));
  if (migrations === 'require') {
    const history = await readMigrationHistoryAt(databaseUrl).catch(historyUnread(logger, databaseUrl));
    if (history) migratedRequired(logger, `DATABASE_URL ${urlWithoutPassword(databaseUrl)}`)(history);
  }
  const { prisma, pool } = createPrismaClient({
    databaseUrl: mode.databaseUrl,
    poolSize: config.databasePoolSize,
    // The order transaction's budget starts with the wait for a connection.
    connectionTimeoutMs: config.orderTransactionBudgetMs,
    onDroppedConnection: (error) => logger.warn({ err: error }, 'idle database connection lost'),
  });
  const background = survivingDroppedConnections(
    new pg.Pool({ connectionString: mode.databaseUrl, max: BACKGROUND_POOL_SIZE, connectionTimeoutMillis: 5_000 }),
    (error) => logger.warn({ err: error }, 'background database connection lost'),
  );
  return {
    prisma,
    background: pgRunner(background),
    transactions: poolTransactions(pool, transactionOptions),
    reads: pgRunner(pool),
    async close() {
      await prisma.$disconnect();
      await Promise.allSettled([pool.end(), background.end()]);
    },
  };
}

/**
 * Counts each failure by class, SQLSTATE and outcome. A retry is logged here (nothing else will
 * see it); a raised failure is logged where it is answered, with the request id.
 */
function failureRecorder(metrics: Metrics, logger: Logger): DatabaseFailureObserver {
  return (failure, outcome, error) => {
    metrics.databaseFailures.inc({ class: failure.class, sqlstate: failure.sqlState ?? '', outcome });
    if (outcome === 'retried')
      logger.warn(
        { err: error, databaseFailure: failure.class, sqlState: failure.sqlState },
        'order transaction rolled back by the database: running it again in a fresh transaction',
      );
  };
}

/** Logs what the migrations applied, and what an operator should hear of the history. */
function migrationsApplied(logger: Logger): (result: ApplyMigrationsResult) => void {
  return (result) => {
    const { applied } = result;
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database schema is up to date');
    warnOfHistory(logger, result);
  };
}

/**
 * Refuses the `database` (as the operator named it) when its history lacks a migration of this
 * code, or has a failed one; logs what an operator should hear of the rest. Newer migrations only
 * warn: an older version deployed again must start.
 */
function migratedRequired(logger: Logger, database: string): (history: MigrationHistory) => void {
  return (history) => {
    const refusal = unmigratedReason(history, database);
    if (refusal) throw new ConfigError(`Cannot start: ${refusal}`);
    logger.info('database schema is up to date (checked, MIGRATE_ON_START=false)');
    warnOfHistory(logger, history);
  };
}

function warnOfHistory(logger: Logger, history: Pick<ApplyMigrationsResult, 'unknown' | 'edited'>): void {
  const { unknown, edited } = history;
  for (const warning of historyWarnings(history)) logger.warn({ unknown, edited }, warning);
}

/** What the start reads when it does not migrate. */
const HISTORY = 'read the migration history';

/**
 * A start that does not migrate and cannot read the history (PostgreSQL down, starting, refusing
 * it, out of connections, a role without SELECT on `_prisma_migrations`, no answer in 5 s): it
 * starts unchecked, as it did before it read the history, and says why. Such a server serves once
 * PostgreSQL can be used, `/readyz` naming PostgreSQL until then (the start is not the place to wait
 * for the database: `http-layer.test.ts`); only a history it could read refuses the start.
 */
function historyUnread(logger: Logger, databaseUrl: string): (error: unknown) => null {
  return (error) => {
    const reason =
      unusableDatabase(databaseUrl, error, HISTORY) ??
      `DATABASE_URL ${urlWithoutPassword(databaseUrl)}: the migration history could not be read (${error instanceof Error ? error.message : String(error)}).`;
    logger.warn({ err: error }, `${reason} Starting without checking the migrations (MIGRATE_ON_START=false).`);
    return null;
  };
}

/**
 * A start whose migrations cannot run says why in one line, without a stack: PostgreSQL that
 * cannot be used at all (naming DATABASE_URL, its password hidden), or a migration that failed
 * (either mode: without `databaseUrl`, the embedded database's).
 */
function refusedStart(databaseUrl?: string): (error: unknown) => never {
  return (error) => {
    const unusable = databaseUrl === undefined ? null : unusableDatabase(databaseUrl, error);
    if (unusable) throw new ConfigError(`Cannot start: ${unusable}`);
    if (error instanceof MigrationError) throw new ConfigError(`Cannot start: ${error.message}`);
    throw error;
  };
}
