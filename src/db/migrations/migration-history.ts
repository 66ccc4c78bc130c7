import pg from 'pg';
import {
  ENGINE_MIGRATION_LOCK_KEY,
  MIGRATION_LOCK_KEY,
  defaultMigrationsDir,
  failedMigrationAdvice,
  loadMigrations,
} from './migrator';
import { readAppliedHistory } from './applied-history';
import type { HistorySource } from './applied-history';

/**
 * What `_prisma_migrations` says of a database against `prisma/migrations`, read without changing
 * anything: for a start that does not migrate (MIGRATE_ON_START=false), which must refuse a
 * database this code's queries would fail on, and hear of the rest.
 */

export interface MigrationHistory {
  /** Migrations of prisma/migrations the database has not applied, in order. */
  pending: string[];
  /** Migrations a run started and left unfinished, none running now: they failed (or their run died). */
  failed: string[];
  /** Migrations the database has and prisma/migrations does not (a newer version applied them). */
  unknown: string[];
  /** Applied migrations whose migration.sql changed since (their checksum differs). */
  edited: string[];
  /** The database has no `_prisma_migrations` table: it was never migrated. */
  neverMigrated: boolean;
  /** Another process holds the migration lock: it is applying migrations now. */
  migrating: boolean;
}

/** How long the start waits to connect, and then for each of the history's queries (ms). */
const HISTORY_READ_TIMEOUT_MS = 5_000;

/**
 * Compares the database's `_prisma_migrations` (one query; a second one, on `pg_locks`, only when a
 * migration is unfinished) with the migrations directory, as the migrator reads it.
 */
export async function readMigrationHistory(
  source: HistorySource,
  migrationsDir: string = defaultMigrationsDir(),
): Promise<MigrationHistory> {
  const { applied, unfinished, known, unknown, edited, neverMigrated } = await readAppliedHistory(
    source,
    await loadMigrations(migrationsDir),
  );
  // The engine records a migration before running it and marks it finished after: unfinished while
  // the lock is held is being applied now, not failed.
  const migrating = unfinished.length > 0 && (await holdsMigrationLock(source));
  return {
    pending: known.filter((name) => !applied.has(name)),
    // Only this code's own: a newer version's failed migration left nothing (each runs in one
    // transaction), and this version, deployed again after it, must start (it is named as unknown).
    failed: migrating ? [] : unfinished.filter((name) => known.includes(name)),
    unknown,
    edited,
    neverMigrated,
    migrating,
  };
}

/** Opens one connection to `databaseUrl`, reads the history (readMigrationHistory) and closes it. */
export async function readMigrationHistoryAt(databaseUrl: string, migrationsDir?: string): Promise<MigrationHistory> {
  // Bounded: a database that drops packets must not hold the start for the kernel's TCP timeout.
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'order-gate-migration-check',
    connectionTimeoutMillis: HISTORY_READ_TIMEOUT_MS,
    query_timeout: HISTORY_READ_TIMEOUT_MS,
  });
  // A connection dropped mid-query would otherwise end the process with an unhandled 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await readMigrationHistory(client, migrationsDir);
  } finally {
    await client.end();
  }
}

/**
 * Why this code cannot serve a database with this history, in one line saying what to do, or null.
 * `database` names it as the operator set it (`DATABASE_URL <url>`, `EMBEDDED_DATA_DIR <path>`).
 */
export function unmigratedReason(history: MigrationHistory, database: string): string | null {
  const [failed] = history.failed;
  if (failed !== undefined)
    return `Migration ${failed} failed in an earlier run and is not resolved. ${failedMigrationAdvice(failed)}`;
  const [first] = history.pending;
  if (first === undefined) return null;
  const count = history.pending.length;
  const pending = count === 1 ? `1 migration pending, ${first}` : `${count} migrations pending, the first ${first}`;
  const why = history.neverMigrated ? ' (it was never migrated: it has no _prisma_migrations table)' : '';
  const what = history.migrating
    ? 'another process is applying migrations now (it holds the migration lock): start again once it is done'
    : 'run npm run migrate first, or start with MIGRATE_ON_START=true';
  return `${database}: ${pending}${why}, and MIGRATE_ON_START=false applies none: ${what}.`;
}

/** Whether a session holds the migrator's advisory lock on this database, or the engine's (the Prisma CLI's). */
async function holdsMigrationLock(source: HistorySource): Promise<boolean> {
  // pg_locks shows every database's locks; a bigint key shows as classid (its high 32 bits) and
  // objid (its low 32 bits), objsubid 1.
  const { rows } = await source.query(
    `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND (classid::bigint << 32 | objid::bigint) = ANY($1::bigint[])) AS held`,
    [[MIGRATION_LOCK_KEY, ENGINE_MIGRATION_LOCK_KEY]],
  );
  return (rows[0] as { held: boolean } | undefined)?.held === true;
}
