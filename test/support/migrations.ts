import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations, defaultMigrationsDir } from '../../src/db/migrations/migrator';

/** The names of prisma/migrations, oldest first. */
export const MIGRATION_NAMES = readdirSync(defaultMigrationsDir())
  .filter((name) => /^\d{14}_/.test(name))
  .sort();

/**
 * Leaves migration `name` in the history of the database at `url` as a run that failed leaves it:
 * recorded unfinished, nothing of it applied (a migration.sql of its own that fails).
 */
export async function recordFailedMigration(url: string, name: string): Promise<void> {
  const broken = await mkdtemp(path.join(os.tmpdir(), 'og-failed-migration-'));
  try {
    await mkdir(path.join(broken, name));
    await writeFile(path.join(broken, 'migration_lock.toml'), 'provider = "postgresql"\n');
    await writeFile(path.join(broken, name, 'migration.sql'), 'SELECT no_such_function();\n');
    const failed = await applyMigrations(url, { migrationsDir: broken }).then(
      () => null,
      (error: Error) => error.message,
    );
    if (!failed?.startsWith(`Migration ${name} failed`)) throw new Error(`expected ${name} to fail, got: ${failed}`);
  } finally {
    await rm(broken, { recursive: true, force: true });
  }
}
