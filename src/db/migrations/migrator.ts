import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
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
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order; empty when none was pending. */
  applied: string[];
}

/**
 * Key of the PostgreSQL advisory lock held while migrating. The engine itself takes
 * `pg_advisory_lock(72707369)`, but on a pooled connection it never unlocks (the lock lasts until
 * the pool closes), and re-using that key on our own session would make us wait for ourselves.
 */
const MIGRATION_LOCK_KEY = 0x4f47_6d67; // "OGmg": Order Gate migrations

/**
 * Applies the pending migrations to the database at `databaseUrl`. Idempotent, and safe to call
 * from several processes at once: callers take turns on an advisory lock, so each migration is
 * applied once. Every connection it opens is closed before it returns.
 * @throws Error when a migration fails (the engine records it in `_prisma_migrations` with
 *   `finished_at` NULL, and later calls refuse to go on until it is resolved).
 */
export function applyMigrations(
  databaseUrl: string,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  return migrate(options, (run) => withMigrationLock(databaseUrl, () => run(createMigrationAdapter({ databaseUrl }))));
}

/**
 * Applies the pending migrations through an adapter the caller made (the embedded database's),
 * and closes it. No lock is taken: the caller must be the only one migrating that database.
 * @throws Error as `applyMigrations` does.
 */
export function applyMigrationsThrough(
  adapter: MigrationAdapter,
  options: ApplyMigrationsOptions = {},
): Promise<ApplyMigrationsResult> {
  return migrate(options, (run) => run(adapter));
}

/** Runs the engine with the adapter `exclusively` hands over (and closes afterwards). */
type EngineRun = (adapter: MigrationAdapter) => Promise<string[]>;

async function migrate(
  options: ApplyMigrationsOptions,
  exclusively: (run: EngineRun) => Promise<string[]>,
): Promise<ApplyMigrationsResult> {
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir();
  const log = options.log ?? (() => undefined);
  const migrationsList = await loadMigrations(migrationsDir);
  log(`Found ${migrationsList.migrationDirectories.length} migration(s) in ${migrationsDir}`);

  const applied = await exclusively((adapter) => runEngine(adapter, migrationsList, log));
  for (const name of applied) log(`Applied migration ${name}`);
  if (applied.length === 0) log('No pending migrations to apply.');
  return { applied };
}

async function loadMigrations(migrationsDir: string): Promise<MigrationList> {
  const isDirectory = await stat(migrationsDir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new Error(`Migrations directory not found: ${migrationsDir}`);
  return readMigrationsList(migrationsDir);
}

async function runEngine(adapter: MigrationAdapter, migrationsList: MigrationList, log: (message: string) => void) {
  try {
    const engine = await openSchemaEngine({ adapterFactory: adapter.factory, log });
    try {
      const output = await engine.applyMigrations({ migrationsList, filters: NO_EXTERNAL_ENTITIES });
      return output.appliedMigrationNames;
    } catch (error) {
      throw await migrationError(engine, migrationsList, error);
    } finally {
      engine.free();
    }
  } finally {
    await adapter.close();
  }
}

/** An Error naming the failed migration(s), with the engine's message (its full text is the cause). */
async function migrationError(engine: SchemaEngine, migrationsList: MigrationList, cause: unknown): Promise<Error> {
  const failed = await engine
    .diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_EXTERNAL_ENTITIES })
    .then((diagnosis) => diagnosis.failedMigrationNames)
    .catch(() => []);
  const what =
    failed.length > 0 ? `Migration ${failed.join(', ')}` : `Applying migrations from ${migrationsList.baseDir}`;
  return new Error(`${what} failed: ${engineErrorSummary(cause)}`, { cause });
}

/** Runs `task` while holding the migration advisory lock on a dedicated connection. */
async function withMigrationLock<T>(databaseUrl: string, task: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'order-gate-migrator-lock' });
  // A connection dropped while waiting would otherwise crash the process with an unhandled 'error'
  // event; the pending query rejects anyway.
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await task();
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
