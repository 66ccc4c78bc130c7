import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  ENGINE_MIGRATION_LOCK_KEY,
  MIGRATION_LOCK_KEY,
  defaultMigrationsDir,
  failedMigrationAdvice,
  loadMigrations,
} from './migrator';
import type { MigrationList } from './schema-engine';

/**
 * What `_prisma_migrations` says of a database against `prisma/migrations`, read without changing
 * anything: for a start that does not migrate (MIGRATE_ON_START=false), which must refuse a
 * database this code's queries would fail on, and hear of the rest.
 */

/** Where the history is read: a `pg` client or the embedded PGlite (both answer `{ rows }`). */
export interface HistorySource {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

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

/** PostgreSQL's "undefined_table". */
const UNDEFINED_TABLE = '42P01';

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished: boolean;
}

/**
 * Compares the database's `_prisma_migrations` (one query; a second one, on `pg_locks`, only when a
 * migration is unfinished) with the migrations directory, as the migrator reads it.
 */
export async function readMigrationHistory(
  source: HistorySource,
  migrationsDir: string = defaultMigrationsDir(),
): Promise<MigrationHistory> {
  const migrations = await loadMigrations(migrationsDir);
  const history = await historyRows(source);
  const rows = history ?? [];
  const applied = new Map(rows.filter((row) => row.finished).map((row) => [row.migration_name, row.checksum]));
  const unfinished = rows.filter((row) => !row.finished && !applied.has(row.migration_name)).map(nameOf);
  // The engine records a migration before running it and marks it finished after: unfinished while
  // the lock is held is being applied now, not failed.
  const migrating = unfinished.length > 0 && (await holdsMigrationLock(source));
  const known = new Set(migrations.migrationDirectories.map((directory) => directory.path));
  return {
    pending: [...known].filter((name) => !applied.has(name)),
    // Only this code's own: a newer version's failed migration left nothing (each runs in one
    // transaction), and this version, deployed again after it, must start (it is named as unknown).
    failed: migrating ? [] : unfinished.filter((name) => known.has(name)),
    unknown: [...applied.keys(), ...unfinished].filter((name) => !known.has(name)),
    edited: editedMigrations(migrations, applied),
    neverMigrated: history === null,
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

/** The rows not rolled back, oldest first; null when there is no history table. */
async function historyRows(source: HistorySource): Promise<HistoryRow[] | null> {
  try {
    const { rows } = await source.query(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished
         FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    return rows as HistoryRow[]; // the columns selected above
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === UNDEFINED_TABLE) return null;
    throw error;
  }
}

const nameOf = (row: HistoryRow) => row.migration_name;

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

function editedMigrations(migrations: MigrationList, applied: Map<string, string>): string[] {
  return migrations.migrationDirectories
    .filter(({ path: name, migrationFile: { content } }) => {
      const checksum = applied.get(name);
      return checksum !== undefined && content.tag === 'ok' && !scriptMatchesChecksum(content.value, checksum);
    })
    .map((directory) => directory.path);
}

/**
 * The engine's comparison (prisma-engines' `checksum.rs`): the sha256 of migration.sql as it is,
 * with LF or with CRLF line endings (git may have changed them), in hex; an old engine wrote
 * checksums whose bytes were not zero-padded, recognised by their length.
 */
function scriptMatchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant).digest();
    const hex =
      checksum.length === 0 || checksum.length === 64
        ? digest.toString('hex')
        : [...digest].map((byte) => byte.toString(16)).join('');
    return hex === checksum;
  });
}
