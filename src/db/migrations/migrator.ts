import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { urlWithoutPassword } from '../../config/url-without-password';
import { isNetworkErrorCode } from '../../platform/network-errors';
import { readAppliedHistory } from './applied-history';
import type { HistorySource } from './applied-history';
import { createMigrationAdapter } from './migration-adapter';
import type { MigrationAdapter } from './migration-adapter';
import { NO_EXTERNAL_ENTITIES, engineErrorSummary, openSchemaEngine, readMigrationsList } from './schema-engine';
import type { MigrationList, SchemaEngine } from './schema-engine';

/**
 * What `prisma migrate deploy` does, without the Prisma CLI: applies the pending migrations of
 * `prisma/migrations` with the WebAssembly schema engine, which records them in
 * `_prisma_migrations` exactly as the CLI would.
 */

export interface ApplyMigrationsOptions {
  /** Defaults to `prisma/migrations` in the project root. */
  migrationsDir?: string;
  /** Progress messages (one line each). */
  log?: (message: string) => void;
  /**
   * A migration that failed before, to mark rolled back before applying (what `prisma migrate
   * resolve --rolled-back` does): it is then applied again, from its migration.sql as it is now.
   */
  rolledBack?: string;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order; empty when none was pending. */
  applied: string[];
  /** Migrations the database has and prisma/migrations does not (a newer version applied them). */
  unknown: string[];
  /** Applied migrations whose migration.sql changed since (their checksum differs). */
  edited: string[];
}

/** A migration run that could not finish; the message names the migration and what to do. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** The engine's code when a failed migration is still unresolved (it applies nothing then). */
const UNRESOLVED_FAILURE = 'P3009';

/** The advisory lock key the schema engine (and so the Prisma CLI) takes while migrating. */
export const ENGINE_MIGRATION_LOCK_KEY = 72_707_369;

/**
 * Key of the PostgreSQL advisory lock held while migrating. The engine itself takes
 * ENGINE_MIGRATION_LOCK_KEY, but on a pooled connection it never unlocks (the lock lasts until
 * the pool closes), and re-using that key on our own session would make us wait for ourselves.
 */
export const MIGRATION_LOCK_KEY = 0x4f47_6d67; // "OGmg": Order Gate migrations

/**
 * Applies the pending migrations to the database at `databaseUrl`. Idempotent, and safe to call
 * from several processes at once: callers take turns on an advisory lock, so each migration is
 * applied once. Every connection it opens is closed before it returns.
 * @throws MigrationError when a migration fails (the engine records it in `_prisma_migrations`
 *   with `finished_at` NULL, and later calls refuse to go on until it is marked rolled back).
 */
export function applyMigrations(
  databaseUrl: string,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  return migrate(options, (run) =>
    withMigrationLock(databaseUrl, (lockSession) => run(createMigrationAdapter({ databaseUrl }), lockSession)),
  );
}

/**
 * Applies the pending migrations through an adapter the caller made (the embedded database's),
 * and closes it; `history` reads the same database's `_prisma_migrations` afterwards. No lock is
 * taken: the caller must be the only one migrating that database.
 * @throws MigrationError as `applyMigrations` does.
 */
export function applyMigrationsThrough(
  adapter: MigrationAdapter,
  history: HistorySource,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  return migrate(options, (run) => run(adapter, history));
}

/** Runs the engine with the adapter `exclusively` hands over (and closes afterwards). */
type EngineRun = (adapter: MigrationAdapter, history: HistorySource) => Promise<ApplyMigrationsResult>;

async function migrate(
  options: ApplyMigrationsOptions,
  exclusively: (run: EngineRun) => Promise<ApplyMigrationsResult>,
): Promise<ApplyMigrationsResult> {
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  const log = options.log ?? (() => undefined);
  const migrationsList = await loadMigrations(migrationsDir);
  log(`Found ${migrationsList.migrationDirectories.length} migration(s) in ${migrationsDir}`);

  const result = await exclusively((adapter, history) =>
    runEngine(adapter, history, migrationsList, options.rolledBack, log),
  );
  for (const name of result.applied) log(`Applied migration ${name}`);
  if (result.applied.length === 0) log('No pending migrations to apply.');
  for (const line of historyWarnings(result)) log(line);
  return result;
}

/**
 * What an operator should hear of the database's history beyond what was applied: migrations a
 * newer version applied (an older version was deployed again?), and applied ones edited since.
 */
export function historyWarnings({ unknown, edited }: Pick<ApplyMigrationsResult, 'unknown' | 'edited'>): string[] {
  return [
    ...(unknown.length > 0
      ? [
          `The database has ${unknown.length} migration(s) this code does not have: ${unknown.join(', ')} (applied by a newer version?). They were left as they are.`,
        ]
      : []),
    ...(edited.length > 0
      ? [
          `Migration(s) ${edited.join(', ')} changed after they were applied (their checksum differs): nothing was applied again. Restore the applied migration.sql and put changes in a new migration.`,
        ]
      : []),
  ];
}

/** The migrations directory as the engine gets it (each migration's name and migration.sql). */
export async function loadMigrations(migrationsDir: string): Promise<MigrationList> {
  const isDirectory = await stat(migrationsDir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new Error(`Migrations directory not found: ${migrationsDir}`);
  return readMigrationsList(migrationsDir);
}

async function runEngine(
  adapter: MigrationAdapter,
  history: HistorySource,
  migrationsList: MigrationList,
  rolledBack: string | undefined,
  log: (message: string) => void,
): Promise<ApplyMigrationsResult> {
  try {
    const engine = await openSchemaEngine({ adapterFactory: adapter.factory, log });
    try {
      if (rolledBack) await markRolledBack(engine, rolledBack);
      const output = await engine
        .applyMigrations({ migrationsList, filters: NO_EXTERNAL_ENTITIES })
        .catch(async (error: unknown) => Promise.reject(await migrationError(history, migrationsList, error)));
      // Read as a start that does not migrate reads it (migration-history.ts), not as the engine's
      // diagnosis, so that both name the same migrations.
      const { unknown, edited } = await readAppliedHistory(history, migrationsList);
      return { applied: output.appliedMigrationNames, unknown, edited };
    } finally {
      engine.free();
    }
  } finally {
    await adapter.close();
  }
}

async function markRolledBack(engine: SchemaEngine, migrationName: string): Promise<void> {
  await engine.markMigrationRolledBack({ migrationName }).catch((error: unknown) => {
    throw new MigrationError(`--rolled-back ${migrationName}: ${oneLine(engineErrorSummary(error))}`, { cause: error });
  });
}

/**
 * A MigrationError naming the failed migration(s) and how to go on. Each migration.sql runs as one
 * transaction, so a failed one left nothing behind: marking it rolled back is always the way out
 * (the Prisma CLI's `migrate resolve`, which the engine's message points to, needs a native engine).
 */
async function migrationError(history: HistorySource, migrationsList: MigrationList, cause: unknown): Promise<Error> {
  // This code's own first (the one it just ran), then one a newer version left unfinished.
  const [name] = await readAppliedHistory(history, migrationsList).then(
    ({ unfinished, known }) => [...unfinished.filter((each) => known.includes(each)), ...unfinished],
    () => [],
  );
  if (name === undefined)
    return new MigrationError(
      `Applying migrations from ${migrationsList.baseDir} failed: ${oneLine(engineErrorSummary(cause))}`,
      { cause },
    );
  const what = isUnresolvedFailure(cause)
    ? `Migration ${name} failed in an earlier run and is not resolved, so no migration is applied`
    : `Migration ${name} failed: ${oneLine(engineErrorSummary(cause))}`;
  return new MigrationError(`${what}. ${failedMigrationAdvice(name)}`, { cause });
}

/** What to do about the failed migration `name`, which left nothing behind. */
export function failedMigrationAdvice(name: string): string {
  return `Nothing of it was applied (each migration runs in one transaction). Fix prisma/migrations/${name}/migration.sql, then run: npm run migrate -- --rolled-back ${name}`;
}

function isUnresolvedFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === UNRESOLVED_FAILURE;
}

/** The engine's multi-line messages as one line. */
function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(': ');
}

/** SQLSTATEs that mean the database of DATABASE_URL could not be used at all (as Node's network codes do). */
const UNUSABLE_SQLSTATE = /^(08...|28...|3D000)$/;

/**
 * What to tell an operator when `error` means PostgreSQL at `databaseUrl` could not be used at all
 * (down, unknown host, refused login, no such database) `to` do what it was asked, naming
 * DATABASE_URL with its password hidden; null for any other error.
 */
export function unusableDatabase(databaseUrl: string, error: unknown, to = 'apply the migrations'): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(isNetworkErrorCode(code) || UNUSABLE_SQLSTATE.test(code))) return null;
  const reason = error instanceof Error ? error.message : String(error);
  return `DATABASE_URL ${urlWithoutPassword(databaseUrl)}: PostgreSQL could not be used to ${to} (${code}: ${reason}). Is it running, and does the database exist?`;
}

/** Runs `task` while holding the migration advisory lock on a dedicated connection, which it is given. */
async function withMigrationLock<T>(databaseUrl: string, task: (session: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'order-gate-migrator-lock' });
  // A connection dropped while waiting would otherwise crash the process with an unhandled 'error'
  // event; the pending query rejects anyway.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await task(client);
    } finally {
      // Closing the session would release the lock too; unlocking first lets the next caller in sooner.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

/** `prisma/migrations` in the project root. */
export function defaultMigrationsDir(): string {
  return path.join(findProjectRoot(), 'prisma', 'migrations');
}

/**
 * The nearest folder at or above `fromDir` that has a `package.json`. This file runs from
 * `src/db` (ts-jest) and from `dist/src/db` (compiled), so the root is found, not assumed.
 */
export function findProjectRoot(fromDir: string = __dirname): string {
  let dir = path.resolve(fromDir);
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json found in ${fromDir} or any folder above it`);
    dir = parent;
  }
  return dir;
}
