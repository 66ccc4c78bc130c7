import pg from 'pg';
import { runBuiltCli, STACK_TRACE } from '../support/cli';
import { ADMIN_DATABASE_URL } from '../support/database';
import { MIGRATION_NAMES as MIGRATIONS, recordFailedMigration } from '../support/migrations';
import { uniqueRedisPrefix } from '../support/redis';
import { createScratchDatabase, dropScratchDatabase, withDatabase } from '../support/scratch-database';
import type { ScratchDatabase } from '../support/scratch-database';

/**
 * `npm run migrate` and a migrating start, on PostgreSQL, as docs/migrations.md has an operator run
 * them (found by walking the docs: a missing database said only `database "x" does not exist`, a
 * failed migration stopped the start with a stack trace and pointed to `prisma migrate resolve`,
 * which needs the native engine, and a database migrated by a newer version was "up to date").
 */
const [FIRST] = MIGRATIONS as [string];
const MIGRATE = 'src/db/migrations/migrate-cli.js';

const databases: ScratchDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((database) => dropScratchDatabase(ADMIN_DATABASE_URL, database.name)));
});

async function scratchDatabase(): Promise<string> {
  const database = await createScratchDatabase(ADMIN_DATABASE_URL, 'og_test_migrate_cli');
  databases.push(database);
  return database.url;
}

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(text).finally(() => client.end());
}

describe('npm run migrate with DATABASE_URL', () => {
  it('names DATABASE_URL in one line when its database does not exist', async () => {
    const missing = withDatabase(ADMIN_DATABASE_URL, `og_test_missing_${process.pid}`);
    const run = await runBuiltCli(MIGRATE, [], { databaseUrl: missing });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `DATABASE_URL ${missing}: PostgreSQL could not be used to apply the migrations (3D000: database "og_test_missing_${process.pid}" does not exist). Is it running, and does the database exist?\n`,
    );
  });

  it('refuses a start after a failed migration in one line saying what to run, which then applies it', async () => {
    const url = await scratchDatabase();
    await recordFailedMigration(url, FIRST);

    const start = await runBuiltCli('src/main.js', [], {
      databaseUrl: url,
      env: { MIGRATE_ON_START: 'true', HOST: '127.0.0.1', PORT: '0', REDIS_KEY_PREFIX: uniqueRedisPrefix('migrate') },
    });
    expect({ code: start.code, stderr: start.stderr }).toEqual({
      code: 1,
      stderr: `Cannot start: Migration ${FIRST} failed in an earlier run and is not resolved, so no migration is applied. Nothing of it was applied (each migration runs in one transaction). Fix prisma/migrations/${FIRST}/migration.sql, then run: npm run migrate -- --rolled-back ${FIRST}\n`,
    });

    const resolved = await runBuiltCli(MIGRATE, ['--rolled-back', FIRST], { databaseUrl: url });
    expect({ code: resolved.code, stderr: resolved.stderr }).toEqual({ code: 0, stderr: '' });
    expect(resolved.stdout).toContain(`Applied ${MIGRATIONS.length} migration(s).`);
  }, 90_000);

  it('says which migrations the database has that this code does not, and stays at exit 0', async () => {
    const url = await scratchDatabase();
    expect((await runBuiltCli(MIGRATE, [], { databaseUrl: url })).code).toBe(0);
    // What a newer version of Order Gate left in the table.
    await sql(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ('newer', repeat('0', 64), '29991231000000_newer', now(), now(), 1)`,
    );

    const run = await runBuiltCli(MIGRATE, [], { databaseUrl: url });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n').slice(-2)).toEqual([
      'The database has 1 migration(s) this code does not have: 29991231000000_newer (applied by a newer version?). They were left as they are.',
      'Database is up to date.',
    ]);
    expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
  }, 90_000);
});
