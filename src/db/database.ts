import { ConfigError } from '../config/config';
import { urlWithoutPassword } from '../config/url-without-password';
import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { openEmbeddedDatabase } from './embedded-database';
import { applyMigrations } from './migrations/migrator';
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
  const onMigrated = ({ applied }: ApplyMigrationsResult) =>
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database schema is up to date');

  if (mode.kind === 'embedded') {
    return openEmbeddedDatabase({ dataDir: mode.dataDir, migrate: config.migrateOnStart, onMigrated });
  }
  if (config.migrateOnStart) onMigrated(await applyMigrations(mode.databaseUrl).catch(unreachable(mode.databaseUrl)));
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

/** Socket codes and SQLSTATEs that mean the database of DATABASE_URL could not be used at all. */
const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|08...|28...|3D000)$/;

/**
 * A start that cannot reach PostgreSQL says so, naming DATABASE_URL (its password hidden), rather
 * than printing a socket error's stack; a migration that fails on a reachable database is thrown as it is.
 */
function unreachable(databaseUrl: string): (error: unknown) => never {
  return (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !UNREACHABLE.test(code)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `Cannot start: DATABASE_URL ${urlWithoutPassword(databaseUrl)}: PostgreSQL could not be used to apply the migrations (${code}: ${reason}). Is it running, and does the database exist? MIGRATE_ON_START=false starts without migrating.`,
    );
  };
}
