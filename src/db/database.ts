import { ConfigError } from '../config/config';
import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { openEmbeddedDatabase } from './embedded-database';
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

/**
 * Opens the database of the configured mode and, when MIGRATE_ON_START is on, applies pending
 * migrations first. With `metrics`, each database failure of an order transaction is counted.
 */
export async function openDatabase(config: Config, logger: Logger, metrics?: Metrics): Promise<Database> {
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
  const onMigrated = (result: ApplyMigrationsResult) => {
    const { applied, unknown, edited } = result;
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database schema is up to date');
    for (const warning of historyWarnings(result)) logger.warn({ unknown, edited }, warning);
  };

  if (mode.kind === 'embedded') {
    return openEmbeddedDatabase({ dataDir: mode.dataDir, migrate: config.migrateOnStart, onMigrated }).catch(
      refusedStart(),
    );
  }
  if (config.migrateOnStart) onMigrated(await applyMigrations(mode.databaseUrl).catch(refusedStart(mode.databaseUrl)));
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

/**
 * A start whose migrations cannot run says why in one line, without a stack: PostgreSQL that
 * cannot be used at all (naming DATABASE_URL, its password hidden), or a migration that failed
 * (either mode: without `databaseUrl`, the embedded database's).
 */
function refusedStart(databaseUrl?: string): (error: unknown) => never {
  return (error) => {
    const unusable = databaseUrl === undefined ? null : unusableDatabase(databaseUrl, error);
    if (unusable) throw new ConfigError(`Cannot start: ${unusable} MIGRATE_ON_START=false starts without migrating.`);
    if (error instanceof MigrationError) throw new ConfigError(`Cannot start: ${error.message}`);
    throw error;
  };
}
