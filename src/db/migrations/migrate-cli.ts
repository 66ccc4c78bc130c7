/**
 * Applies the pending migrations of prisma/migrations (what `prisma migrate deploy` does) to
 * DATABASE_URL, or without it to the embedded database (EMBEDDED_DATA_DIR), as `npm start` uses:
 *
 *   DATABASE_URL=postgresql://… node dist/src/db/migrations/migrate-cli.js
 *
 * Exits 0 when the database is up to date, 1 when something failed.
 */
import { parseCommandLine } from '../../cli/command-line';
import { loadMigrationTarget } from '../../config/config';
import { migrateEmbeddedDatabase } from '../embedded-database';
import { applyMigrations } from './migrator';
import { errorMessage } from './schema-engine';

async function main(): Promise<number> {
  try {
    const target = loadMigrationTarget();
    const log = (message: string) => console.log(message);
    if (target.kind === 'embedded') console.log(`No DATABASE_URL: the embedded database in ${target.dataDir}.`);
    const { applied } =
      target.kind === 'servers'
        ? await applyMigrations(target.databaseUrl, { log })
        : await migrateEmbeddedDatabase(target.dataDir, { log });
    console.log(applied.length > 0 ? `Applied ${applied.length} migration(s).` : 'Database is up to date.');
    return 0;
  } catch (error) {
    console.error(errorMessage(error));
    return 1;
  }
}

parseCommandLine(
  {
    usage: 'npm run migrate',
    about:
      'Applies the pending migrations of prisma/migrations (what `prisma migrate deploy` does) to DATABASE_URL, or without it to the embedded database in EMBEDDED_DATA_DIR (`npm start` also migrates by itself).',
  },
  {},
);
// Exit explicitly: a lingering pool or timer must not keep a deploy step waiting.
void main().then((code) => process.exit(code));
