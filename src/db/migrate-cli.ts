/**
 * Applies the pending migrations of prisma/migrations (what `prisma migrate deploy` does):
 *
 *   DATABASE_URL=postgresql://… node dist/src/db/migrate-cli.js
 *
 * Exits 0 when the database is up to date, 1 when something failed.
 */
import { applyMigrations } from './migrator';
import { errorMessage } from './schema-engine';

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  try {
    const { applied } = await applyMigrations(databaseUrl, { log: (message) => console.log(message) });
    console.log(applied.length > 0 ? `Applied ${applied.length} migration(s).` : 'Database is up to date.');
    return 0;
  } catch (error) {
    console.error(errorMessage(error));
    return 1;
  }
}

// Exit explicitly: a lingering pool or timer must not keep a deploy step waiting.
void main().then((code) => process.exit(code));
