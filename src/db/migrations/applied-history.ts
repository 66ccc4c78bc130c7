import { createHash } from 'node:crypto';
import type { MigrationList } from './schema-engine';

/**
 * The one reading of `_prisma_migrations` against a migrations directory: what a migrating run
 * reports after applying (migrations unknown to this code, applied ones edited since), and what a
 * start that does not migrate checks before serving (migration-history.ts).
 */

/** Where the history is read: a `pg` client or the embedded PGlite (both answer `{ rows }`). */
export interface HistorySource {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface AppliedHistory {
  /** Names of the finished migrations and their recorded checksums. */
  applied: Map<string, string>;
  /** Migrations a run started and did not finish (failed, died, or being applied now), oldest first. */
  unfinished: string[];
  /** Names of prisma/migrations, in order. */
  known: string[];
  /** Migrations the database has and prisma/migrations does not (a newer version applied them). */
  unknown: string[];
  /** Applied migrations whose migration.sql changed since (their checksum differs). */
  edited: string[];
  /** The database has no `_prisma_migrations` table: it was never migrated. */
  neverMigrated: boolean;
}

/** PostgreSQL's "undefined_table". */
const UNDEFINED_TABLE = '42P01';

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished: boolean;
}

/** Compares the database's `_prisma_migrations` (one query) with `migrations`. */
export async function readAppliedHistory(source: HistorySource, migrations: MigrationList): Promise<AppliedHistory> {
  const history = await historyRows(source);
  const rows = history ?? [];
  const applied = new Map(rows.filter((row) => row.finished).map((row) => [row.migration_name, row.checksum]));
  const unfinished = rows.filter((row) => !row.finished && !applied.has(row.migration_name)).map(nameOf);
  const known = migrations.migrationDirectories.map((directory) => directory.path);
  const knownNames = new Set(known);
  return {
    applied,
    unfinished,
    known,
    unknown: [...applied.keys(), ...unfinished].filter((name) => !knownNames.has(name)),
    edited: editedMigrations(migrations, applied),
    neverMigrated: history === null,
  };
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
