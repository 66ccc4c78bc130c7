/**
 * Applies the pending migrations of prisma/migrations (what `prisma migrate deploy` does) to
 * DATABASE_URL, or without it to the embedded database (EMBEDDED_DATA_DIR), as `npm start` uses:
 *
 *   DATABASE_URL=postgresql://… node dist/src/db/migrations/migrate-cli.js [--rolled-back <name>]
 *
 * Exits 0 when the database is up to date, 1 when something failed (one line on stderr).
 */
import { parseCommandLine } from '../../cli/command-line';
import { loadMigrationTarget } from '../../config/config';
import type { MigrationTarget } from '../../config/config';
import { DATABASE_URL_INSTEAD, DataDirInUseError } from '../data-dir-lock';
import { migrateEmbeddedDatabase } from '../embedded-database';
import { applyMigrations, unusableDatabase } from './migrator';
import type { ApplyMigrationsOptions } from './migrator';
import { errorMessage } from './schema-engine';

const { values } = parseCommandLine(
  {
    usage: 'npm run migrate [-- --rolled-back <migration>]',
    about:
      'Applies the pending migrations of prisma/migrations (what `prisma migrate deploy` does) to DATABASE_URL, or without it to the embedded database in EMBEDDED_DATA_DIR (`npm start` also migrates by itself).',
    options: {
      'rolled-back':
        'a migration that failed (nothing of it was applied): mark it rolled back, as `prisma migrate resolve --rolled-back` does, then apply it again with the rest',
    },
  },
  { options: { 'rolled-back': { type: 'string' } } },
);

async function main(): Promise<number> {
  let target: MigrationTarget | undefined;
  try {
    target = loadMigrationTarget();
    const options: ApplyMigrationsOptions = { log: (message) => console.log(message) };
    if (values['rolled-back'] !== undefined) options.rolledBack = values['rolled-back'];
    if (target.kind === 'embedded') console.log(`No DATABASE_URL: the embedded database in ${target.dataDir}.`);
    const { applied } =
      target.kind === 'servers'
        ? await applyMigrations(target.databaseUrl, options)
        : await migrateEmbeddedDatabase(target.dataDir, options);
    console.log(applied.length > 0 ? `Applied ${applied.length} migration(s).` : 'Database is up to date.');
    return 0;
  } catch (error) {
    const unusable = target?.kind === 'servers' ? unusableDatabase(target.databaseUrl, error) : null;
    const inUse =
      error instanceof DataDirInUseError ? error.toolMessage('npm run migrate', DATABASE_URL_INSTEAD) : null;
    console.error(unusable ?? inUse ?? errorMessage(error));
    return 1;
  }
}

// Exit explicitly: a lingering pool or timer must not keep a deploy step waiting.
void main().then((code) => process.exit(code));
