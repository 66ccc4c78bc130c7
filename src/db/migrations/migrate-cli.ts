/**
 * Applies the pending migrations of prisma/migrations (what `prisma migrate deploy` does):
 *
 *   DATABASE_URL=postgresql://… node dist/src/db/migrations/migrate-cli.js
 *
 * Exits 0 when the database is up to date, 1 when something failed.
 */
import { parseCommandLine } from '../../cli/command-line';
import { loadMigrationTarget } from '../../config/config';
import { applyMigrations } from './migrator';
import { errorMessage } from './schema-engine';

async function main(): Promise<number> {
  try {
    const databaseUrl = loadMigrationTarget();
    const { applied } = await applyMigrations(databaseUrl, { log: (message) => console.log(message) });
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
    about: 'Applies the pending migrations of prisma/migrations to DATABASE_URL (what `prisma migrate deploy` does).',
  },
  {},
);
// Exit explicitly: a lingering pool or timer must not keep a deploy step waiting.
void main().then((code) => process.exit(code));
