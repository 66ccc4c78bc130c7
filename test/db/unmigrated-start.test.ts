import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, defaultMigrationsDir, MIGRATION_LOCK_KEY } from '../../src/db/migrations/migrator';
import { runBuiltCli, STACK_TRACE } from '../support/cli';
import type { CliRun } from '../support/cli';
import { ADMIN_DATABASE_URL } from '../support/database';
import { MIGRATION_NAMES as MIGRATIONS, recordFailedMigration } from '../support/migrations';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';
import { createScratchDatabase, dropScratchDatabase, withDatabase } from '../support/scratch-database';
import type { ScratchDatabase } from '../support/scratch-database';
import { spawnServerProcess } from '../support/server';
import type { ServerProcess } from '../support/server';

/**
 * The built server started with MIGRATE_ON_START=false, as a deployment that migrates in a step of
 * its own starts it. On a database that lacked migrations it started, /readyz said ready, and every
 * createOrder answered INTERNAL_SERVER_ERROR (`relation "Order" does not exist`): now the start
 * reads the history, refuses in one line saying what to run, and only warns of newer migrations.
 */
const [FIRST] = MIGRATIONS as [string];
const LAST = MIGRATIONS.at(-1)!;
const NEWER = '29991231000000_newer';
const START = { MIGRATE_ON_START: 'false', HOST: '127.0.0.1', PORT: '0' };
const ADVICE =
  'and MIGRATE_ON_START=false applies none: run npm run migrate first, or start with MIGRATE_ON_START=true.';

const databases: ScratchDatabase[] = [];
const servers: ServerProcess[] = [];
const redisPrefixes: string[] = [];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-unmigrated-start-'));
});
afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  await Promise.all(databases.map((database) => dropScratchDatabase(ADMIN_DATABASE_URL, database.name)));
  await Promise.all(redisPrefixes.map((prefix) => deleteRedisPrefix(prefix)));
  await rm(dir, { recursive: true, force: true });
});

async function scratchDatabase(): Promise<string> {
  const database = await createScratchDatabase(ADMIN_DATABASE_URL, 'og_test_unmigrated');
  databases.push(database);
  return database.url;
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return (await client.query<R>(text).finally(() => client.end())).rows;
}

/** `_prisma_migrations` as it is, or null without the table: a start that only reads leaves it so. */
async function history(url: string): Promise<unknown[] | null> {
  const [{ table }] = await query<{ table: string | null }>(url, "SELECT to_regclass('_prisma_migrations') AS table");
  return table ? query(url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name') : null;
}

function serversEnv(url: string): Record<string, string> {
  const prefix = uniqueRedisPrefix('unmigrated');
  redisPrefixes.push(prefix);
  return { DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix, ...START };
}

/** Starts the built server expecting it to refuse: how it ended. */
function refusedStart(env: Record<string, string>): Promise<CliRun> {
  return runBuiltCli('src/main.js', [], { env });
}

/** Exit 1, and this one line on stderr, no stack. */
function expectRefused(run: CliRun, line: string): void {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: `${line}\n` });
  expect(run.stdout + run.stderr).not.toMatch(STACK_TRACE);
}

async function started(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServerProcess(env, 120_000);
  servers.push(server);
  return server;
}

const warnings = (server: ServerProcess) =>
  server.logs.filter((entry) => (entry['level'] as number) >= 40).map((entry) => entry['msg']);

/** prisma/migrations without its last migration: what the version before the newest applied. */
async function migrationsWithoutLast(): Promise<string> {
  const older = path.join(dir, 'older');
  await cp(defaultMigrationsDir(), older, { recursive: true });
  await rm(path.join(older, LAST), { recursive: true });
  return older;
}

describe('a start with MIGRATE_ON_START=false and DATABASE_URL', () => {
  it('refuses a database that was never migrated, naming how many migrations and the first, and creates nothing', async () => {
    const url = await scratchDatabase();
    expectRefused(
      await refusedStart(serversEnv(url)),
      `Cannot start: DATABASE_URL ${url}: ${MIGRATIONS.length} migrations pending, the first ${FIRST} (it was never migrated: it has no _prisma_migrations table), ${ADVICE}`,
    );
    expect(await history(url)).toBeNull();
  });

  it('refuses a database one migration behind, naming it, and leaves its history as it was', async () => {
    const url = await scratchDatabase();
    await applyMigrations(url, { migrationsDir: await migrationsWithoutLast() });
    const before = await history(url);

    expectRefused(
      await refusedStart(serversEnv(url)),
      `Cannot start: DATABASE_URL ${url}: 1 migration pending, ${LAST}, ${ADVICE}`,
    );
    expect(await history(url)).toEqual(before);
  }, 60_000);

  it('refuses a failed migration as npm start does, naming --rolled-back; one being applied now is said as such', async () => {
    const url = await scratchDatabase();
    await recordFailedMigration(url, FIRST);

    expectRefused(
      await refusedStart(serversEnv(url)),
      `Cannot start: Migration ${FIRST} failed in an earlier run and is not resolved. Nothing of it was applied (each migration runs in one transaction). Fix prisma/migrations/${FIRST}/migration.sql, then run: npm run migrate -- --rolled-back ${FIRST}`,
    );

    // The engine records a migration unfinished while it runs, under the migrator's lock.
    const migrator = new pg.Client({ connectionString: url });
    await migrator.connect();
    try {
      await migrator.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      expectRefused(
        await refusedStart(serversEnv(url)),
        `Cannot start: DATABASE_URL ${url}: ${MIGRATIONS.length} migrations pending, the first ${FIRST}, and MIGRATE_ON_START=false applies none: another process is applying migrations now (it holds the migration lock): start again once it is done.`,
      );
    } finally {
      await migrator.end();
    }
  }, 60_000);

  it('starts on a database with every migration applied, without a warning', async () => {
    const url = await scratchDatabase();
    await applyMigrations(url);
    const server = await started(serversEnv(url));
    expect(server.logs.map((entry) => entry['msg'])).toContain(
      'database schema is up to date (checked, MIGRATE_ON_START=false)',
    );
    expect(warnings(server)).toEqual([]);
  }, 90_000);

  it('starts, warning, on a database a newer version migrated, or whose applied migration.sql changed', async () => {
    const url = await scratchDatabase();
    await applyMigrations(url);
    // What a newer version left in the table, and an applied migration edited since.
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ('newer', repeat('0', 64), '${NEWER}', now(), now(), 1);
       UPDATE _prisma_migrations SET checksum = repeat('f', 64) WHERE migration_name = '${FIRST}'`,
    );
    const server = await started(serversEnv(url));
    expect(warnings(server)).toEqual([
      `The database has 1 migration(s) this code does not have: ${NEWER} (applied by a newer version?). They were left as they are.`,
      `Migration(s) ${FIRST} changed after they were applied (their checksum differs): nothing was applied again. Restore the applied migration.sql and put changes in a new migration.`,
    ]);
  }, 90_000);

  it('starts while a newer version applies its migration (a rolling deploy), warning of it', async () => {
    const url = await scratchDatabase();
    await applyMigrations(url);
    // The engine records the migration before running it, unfinished, under the migrator's lock.
    const migrator = new pg.Client({ connectionString: url });
    await migrator.connect();
    try {
      await migrator.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await migrator.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ('newer', repeat('0', 64), '${NEWER}', now(), 0)`,
      );
      const server = await started(serversEnv(url));
      expect(warnings(server)).toEqual([
        `The database has 1 migration(s) this code does not have: ${NEWER} (applied by a newer version?). They were left as they are.`,
      ]);
    } finally {
      await migrator.end();
    }
  }, 90_000);

  it("starts after a newer version's migration failed (rolled back to this version), warning of it as unknown", async () => {
    // A release job's migration failed (it left nothing: one transaction) and the older version
    // is deployed again: it must start, as it does beside a newer version's applied migrations.
    const url = await scratchDatabase();
    await applyMigrations(url);
    await recordFailedMigration(url, NEWER);
    const server = await started(serversEnv(url));
    expect(warnings(server)).toEqual([
      `The database has 1 migration(s) this code does not have: ${NEWER} (applied by a newer version?). They were left as they are.`,
    ]);
  }, 90_000);

  it('starts unchecked, warning, when its role may not read the history (a least-privilege role)', async () => {
    const url = await scratchDatabase();
    await applyMigrations(url);
    const role = `og_no_history_${process.pid}`;
    await query(url, `DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN`);
    try {
      const asRole = url.replace('postgres@', `${role}@`);
      const server = await started(serversEnv(asRole));
      expect(warnings(server)).toContainEqual(
        expect.stringMatching(
          /^DATABASE_URL [^ ]+: the migration history could not be read \(permission denied for table _prisma_migrations\)\. Starting without checking the migrations \(MIGRATE_ON_START=false\)\.$/,
        ),
      );
      server.child.kill('SIGTERM');
      await server.exited;
    } finally {
      await query(url, `DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`);
    }
  }, 90_000);

  it('starts unchecked, warning and naming DATABASE_URL, when PostgreSQL cannot be used to read the history', async () => {
    // As before the start read the history: a server started while PostgreSQL is down (or its
    // database not yet created) serves once it is back, /readyz naming PostgreSQL until then.
    const missing = withDatabase(ADMIN_DATABASE_URL, `og_test_missing_${process.pid}`);
    const server = await started(serversEnv(missing));
    expect(warnings(server)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^DATABASE_URL ${missing}: PostgreSQL could not be used to read the migration history \\(3D000: [^\\n]+\\)\\. Is it running, and does the database exist\\? Starting without checking the migrations \\(MIGRATE_ON_START=false\\)\\.$`,
        ),
      ),
    );
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toMatch(/postgres/i);
  });
});

describe('a start with MIGRATE_ON_START=false in the embedded mode', () => {
  it('refuses an empty data folder, and starts once npm run migrate migrated it', async () => {
    const dataDir = path.join(dir, 'embedded');
    const env = { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: dataDir, ...START };
    expectRefused(
      await refusedStart(env),
      `Cannot start: EMBEDDED_DATA_DIR ${dataDir}: ${MIGRATIONS.length} migrations pending, the first ${FIRST} (it was never migrated: it has no _prisma_migrations table), ${ADVICE}`,
    );

    const migrate = await runBuiltCli('src/db/migrations/migrate-cli.js', [], { env });
    expect({ code: migrate.code, stderr: migrate.stderr }).toEqual({ code: 0, stderr: '' });
    const server = await started(env);
    expect(warnings(server)).toEqual([]);
  }, 180_000);
});
