/**
 * What `prisma migrate dev --create-only --name <name>` does, with Prisma's WebAssembly schema
 * engine (the CLI needs a native engine it cannot download here):
 *
 *   npx tsc -p tsconfig.build.json && node dist/scripts/create-migration.js <name>
 *
 * Diffs the migrations in prisma/migrations against prisma/schema.prisma and, when they differ,
 * writes prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql (and migration_lock.toml if it is
 * missing). Nothing is applied. The diff replays the existing migrations on a shadow database:
 * a scratch database created on the server of DATABASE_URL and dropped afterwards.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCommandLine } from '../src/cli/command-line';
import { urlWithoutPassword } from '../src/config/url-without-password';
import { createMigrationAdapter } from '../src/db/migrations/migration-adapter';
import { findProjectRoot } from '../src/db/migrations/migrator';
import {
  MIGRATION_LOCK_FILE,
  MIGRATION_SQL_FILE,
  NO_EXTERNAL_ENTITIES,
  POSTGRES_MIGRATION_LOCK,
  errorMessage,
  openSchemaEngine,
  readMigrationsList,
} from '../src/db/migrations/schema-engine';
import { createScratchDatabase, dropScratchDatabase } from '../test/support/scratch-database';
import { LOCAL_DATABASE_URL, toolDatabaseUrl } from './harness/local-database';

const SCHEMA_FILE = 'schema.prisma';
/** The engine's `diff` exit code when the two sides differ (with `exitCode: true`). */
const DIFF_HAS_CHANGES = 2;

export interface Paths {
  schema: string;
  migrationsDir: string;
}

const HELP = {
  usage: 'npm run migration:create -- <name>     e.g. add_order_notes',
  about: `Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes the migrations so far to prisma/schema.prisma (nothing when they match). It replays them on a scratch database of a PostgreSQL server: DATABASE_URL's, else ${LOCAL_DATABASE_URL} (the embedded mode has none).`,
};

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseCommandLine(HELP, { args: argv, allowPositionals: true, options: {} });
  const name = migrationName(positionals);
  if (typeof name !== 'object') {
    console.error(`${name}\nUsage: ${HELP.usage}`);
    return 1;
  }
  const root = findProjectRoot(__dirname);
  const paths: Paths = {
    schema: path.join(root, 'prisma', SCHEMA_FILE),
    migrationsDir: path.join(root, 'prisma', 'migrations'),
  };
  const serverUrl = toolDatabaseUrl();

  const script = await diffMigrationsToSchema(paths, serverUrl);
  if (script === undefined) {
    console.log('No changes: prisma/schema.prisma matches prisma/migrations. No migration created.');
    return 0;
  }
  const file = await writeMigration(paths.migrationsDir, name.name, script);
  console.log(`Created ${path.relative(root, file)}`);
  return 0;
}

/**
 * The folder's name from the one argument, as the Prisma CLI names it: lowercase, runs of other
 * characters as `_`; accents are dropped first (`été` → `ete`, not `_t`). A refusal otherwise
 * (said before the usage): no name, several words unquoted, or nothing of `a-z 0-9` in it.
 */
export function migrationName(positionals: string[]): { name: string } | string {
  if (positionals.length === 0) return 'A migration needs a name.';
  if (positionals.length > 1)
    return `One name, not ${positionals.length} words: quote it ("${positionals.join(' ')}") or join them with _ (${positionals.join('_')}).`;
  const [raw = ''] = positionals;
  const name = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!name)
    return `${JSON.stringify(raw)} has no letter a-z or digit 0-9 to name a folder with: use e.g. add_order_notes.`;
  return { name };
}

/** The SQL that takes a database from the migrations' end state to the schema; undefined if none. */
export async function diffMigrationsToSchema(paths: Paths, serverUrl: string): Promise<string | undefined> {
  const schema = { path: paths.schema, content: await readFile(paths.schema, 'utf8') };
  // The engine reads the provider from the lock file; a first migration has none yet.
  const migrationsList = await readMigrationsList(paths.migrationsDir, POSTGRES_MIGRATION_LOCK);

  const shadow = await createScratchDatabase(serverUrl, 'prisma_shadow').catch((error: unknown) => {
    throw new Error(noShadowServer(serverUrl, errorMessage(error)), { cause: error });
  });
  try {
    const adapter = createMigrationAdapter({ databaseUrl: serverUrl, shadowDatabaseUrl: shadow.url });
    try {
      const engine = await openSchemaEngine({
        adapterFactory: adapter.factory,
        schemaFiles: [schema],
        log: (message) => console.warn(message),
      });
      try {
        const result = await engine.diff({
          from: { tag: 'migrations', ...migrationsList },
          to: { tag: 'schemaDatamodel', files: [schema] },
          script: true,
          exitCode: true,
          filters: NO_EXTERNAL_ENTITIES,
        });
        return result.exitCode === DIFF_HAS_CHANGES ? (result.stdout ?? '') : undefined;
      } finally {
        engine.free();
      }
    } finally {
      // Our pools first: the shadow database cannot be dropped while they are connected to it.
      await adapter.close();
    }
  } finally {
    await dropScratchDatabase(serverUrl, shadow.name);
  }
}

/**
 * Why no shadow database could be made, and where the tool looks: a newcomer on the embedded
 * database has no PostgreSQL server, and got `connect ECONNREFUSED 127.0.0.1:5432` alone.
 */
function noShadowServer(serverUrl: string, why: string): string {
  const shown = urlWithoutPassword(serverUrl);
  return process.env['DATABASE_URL']
    ? `its shadow database needs a PostgreSQL server, and DATABASE_URL ${shown} cannot be used (${why}); without DATABASE_URL it uses ${LOCAL_DATABASE_URL}`
    : `its shadow database needs a PostgreSQL server, and the local one ${shown} cannot be used (${why}): start it, or set DATABASE_URL to another`;
}

async function writeMigration(migrationsDir: string, name: string, script: string): Promise<string> {
  const dir = path.join(migrationsDir, `${timestamp(new Date())}_${name}`);
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, MIGRATION_SQL_FILE);
  await writeFile(file, script, 'utf8');
  const lockFile = path.join(migrationsDir, MIGRATION_LOCK_FILE);
  if (!existsSync(lockFile)) await writeFile(lockFile, POSTGRES_MIGRATION_LOCK, 'utf8');
  return file;
}

/** `YYYYMMDDHHMMSS` in UTC, the prefix the Prisma CLI gives migration folders. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 'YYYYMMDDHHMMSS'.length);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`create-migration failed: ${errorMessage(error)}`);
      process.exit(1);
    },
  );
}
