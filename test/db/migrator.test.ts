import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  applyMigrations,
  defaultMigrationsDir,
  MigrationError,
  unusableDatabase,
} from '../../src/db/migrations/migrator';
import { createScratchDatabase, dropScratchDatabase } from '../support/scratch-database';
import type { ScratchDatabase } from '../support/scratch-database';

/**
 * Applies prisma/migrations with the WebAssembly schema engine to scratch databases on the local
 * PostgreSQL server (TEST_DATABASE_URL points at another server; only its database is replaced).
 */
const SERVER_URL = process.env.TEST_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

const scratchDatabases: ScratchDatabase[] = [];
let migrationNames: string[];

async function scratchDatabase(): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(SERVER_URL, 'og_test_migrator');
  scratchDatabases.push(database);
  return database;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

function migrationRows(url: string): Promise<MigrationRow[]> {
  return query<MigrationRow>(
    url,
    'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
  );
}

beforeAll(async () => {
  const entries = await readdir(defaultMigrationsDir(), { withFileTypes: true });
  migrationNames = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
});

afterAll(async () => {
  await Promise.all(scratchDatabases.map((database) => dropScratchDatabase(SERVER_URL, database.name)));
});

describe('applyMigrations', () => {
  let database: ScratchDatabase;

  beforeAll(async () => {
    database = await scratchDatabase();
  });

  it('applies every migration once, then nothing', async () => {
    expect(migrationNames.length).toBeGreaterThan(0);
    expect(await applyMigrations(database.url)).toEqual({ applied: migrationNames, unknown: [], edited: [] });
    expect(await applyMigrations(database.url)).toEqual({ applied: [], unknown: [], edited: [] });
  });

  it('records the migrations in _prisma_migrations like the Prisma CLI', async () => {
    const rows = await migrationRows(database.url);
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
    for (const row of rows) {
      const sql = await readFile(path.join(defaultMigrationsDir(), row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('creates the tables, the idempotency index and the CHECK constraints', async () => {
    const tables = await query<{ table_name: string }>(
      database.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.map((table) => table.table_name)).toEqual(expect.arrayContaining(['Product', 'Order', 'OrderItem']));

    const [index] = await query<{ indexdef: string }>(
      database.url,
      "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'Order_customerId_idempotencyKey_key'",
    );
    expect(index?.indexdef).toMatch(/^CREATE UNIQUE INDEX .* \("customerId", "idempotencyKey"\)$/);

    const checks = await query<{ conname: string }>(
      database.url,
      "SELECT conname FROM pg_constraint WHERE contype = 'c'",
    );
    expect(checks.map((check) => check.conname)).toEqual(
      expect.arrayContaining([
        'Product_stock_nonnegative',
        'OrderItem_quantity_positive',
        'Order_totalCents_nonnegative',
      ]),
    );
  });

  it('rejects negative stock', async () => {
    const insert = query(
      database.url,
      `INSERT INTO "Product" (id, sku, name, "priceCents", currency, stock, "updatedAt")
       VALUES (gen_random_uuid(), 'SKU-NEG', 'Negative', 100, 'EUR', -1, now())`,
    );
    await expect(insert).rejects.toMatchObject({ code: '23514', constraint: 'Product_stock_nonnegative' });
  });
});

describe('applyMigrations called twice at once', () => {
  it('applies each migration exactly once, and both calls succeed', async () => {
    const database = await scratchDatabase();
    const results = await Promise.all([applyMigrations(database.url), applyMigrations(database.url)]);

    expect(results.flatMap((result) => result.applied).sort()).toEqual(migrationNames);
    expect(results.flatMap((result) => [...result.unknown, ...result.edited])).toEqual([]);
    expect(results.map((result) => result.applied.length).sort()).toEqual([0, migrationNames.length]);
    const rows = await migrationRows(database.url);
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });
});

/** A migrations directory in a temp folder with the given migrations (name → migration.sql). */
async function writeMigrationsDir(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'migrator-test-'));
  temporaryDirs.push(dir);
  await writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

const temporaryDirs: string[] = [];

afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('applyMigrations with a failing migration', () => {
  let migrationsDir: string;

  beforeAll(async () => {
    migrationsDir = await writeMigrationsDir({ '20000101000000_broken': 'SELECT no_such_function();\n' });
  });

  it('throws an Error naming the migration, and records it as failed', async () => {
    const database = await scratchDatabase();
    await expect(applyMigrations(database.url, { migrationsDir })).rejects.toThrow(
      /Migration 20000101000000_broken failed: .*no_such_function\(\) does not exist/s,
    );
    const rows = await migrationRows(database.url);
    expect(rows).toEqual([expect.objectContaining({ migration_name: '20000101000000_broken', finished_at: null })]);
  });

  it('says, in one line, that nothing of it was applied and how to go on, also to the next run', async () => {
    const database = await scratchDatabase();
    const next = `Fix prisma/migrations/20000101000000_broken/migration.sql, then run: npm run migrate -- --rolled-back 20000101000000_broken`;
    const first = await applyMigrations(database.url, { migrationsDir }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(MigrationError);
    expect((first as Error).message).toMatch(/^Migration 20000101000000_broken failed: [^\n]*no_such_function/);
    expect((first as Error).message).toContain(
      `Nothing of it was applied (each migration runs in one transaction). ${next}`,
    );

    // The engine's own answer points to `prisma migrate resolve`, which needs the native engine.
    const again = await applyMigrations(database.url, { migrationsDir }).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(MigrationError);
    expect((again as Error).message).toBe(
      `Migration 20000101000000_broken failed in an earlier run and is not resolved, so no migration is applied. Nothing of it was applied (each migration runs in one transaction). ${next}`,
    );
  });

  it('applies a fixed migration again once it is marked rolled back (rolledBack), and refuses a name it never applied', async () => {
    const database = await scratchDatabase();
    const dir = await writeMigrationsDir({ '20000101000000_broken': 'SELECT no_such_function();\n' });
    await expect(applyMigrations(database.url, { migrationsDir: dir })).rejects.toThrow(MigrationError);
    await writeFile(path.join(dir, '20000101000000_broken', 'migration.sql'), 'CREATE TABLE "Fixed" ("id" INTEGER);\n');

    expect(await applyMigrations(database.url, { migrationsDir: dir, rolledBack: '20000101000000_broken' })).toEqual({
      applied: ['20000101000000_broken'],
      unknown: [],
      edited: [],
    });
    const rows = await migrationRows(database.url);
    expect(rows.map((row) => [row.finished_at !== null, row.rolled_back_at !== null])).toEqual([
      [false, true],
      [true, false],
    ]);
    // Once more, as an operator pasting the command twice would: nothing to do.
    expect(
      await applyMigrations(database.url, { migrationsDir: dir, rolledBack: '20000101000000_broken' }),
    ).toMatchObject({ applied: [] });
    await expect(applyMigrations(database.url, { migrationsDir: dir, rolledBack: '2000_typo' })).rejects.toThrow(
      /^--rolled-back 2000_typo: .*never applied/,
    );
  });

  it('throws when the migrations directory does not exist', async () => {
    const database = await scratchDatabase();
    await expect(applyMigrations(database.url, { migrationsDir: path.join(migrationsDir, 'missing') })).rejects.toThrow(
      'Migrations directory not found',
    );
  });
});

describe('applyMigrations runs each migration.sql as one script', () => {
  /** Semicolons in a comment, in a string and in a `$$` body: none of them ends a statement. */
  const PLPGSQL_MIGRATION = `-- A trigger function; its body has semicolons.
CREATE TABLE "Note" ("id" SERIAL PRIMARY KEY, "body" TEXT NOT NULL, "stamp" TEXT);

CREATE FUNCTION note_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."stamp" := 'stamped; ' || upper(NEW."body");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Note_stamp" BEFORE INSERT ON "Note" FOR EACH ROW EXECUTE FUNCTION note_stamp();
INSERT INTO "Note" ("body") VALUES ('a; b');
`;

  it('applies a PL/pgSQL function whose $$ body, strings and comments contain semicolons', async () => {
    const database = await scratchDatabase();
    const migrationsDir = await writeMigrationsDir({ '20000101000000_trigger': PLPGSQL_MIGRATION });

    expect(await applyMigrations(database.url, { migrationsDir })).toMatchObject({
      applied: ['20000101000000_trigger'],
    });

    expect(await query(database.url, 'SELECT "body", "stamp" FROM "Note"')).toEqual([
      { body: 'a; b', stamp: 'stamped; A; B' },
    ]);
    const [row] = await migrationRows(database.url);
    expect(row).toMatchObject({
      migration_name: '20000101000000_trigger',
      applied_steps_count: 1,
      rolled_back_at: null,
    });
    expect(row?.finished_at).toBeInstanceOf(Date);
  });

  it("leaves none of a failing migration's statements applied, and keeps the migrations before it", async () => {
    const database = await scratchDatabase();
    const migrationsDir = await writeMigrationsDir({
      '20000101000000_first': 'CREATE TABLE "Kept" ("id" INTEGER PRIMARY KEY);\n',
      '20000102000000_half_done': [
        'CREATE TABLE "Orphan" ("id" INTEGER PRIMARY KEY);',
        'INSERT INTO "Kept" ("id") VALUES (1);',
        'ALTER TABLE "Kept" ADD COLUMN "note" TEXT;',
        'SELECT no_such_function();',
        '',
      ].join('\n'),
    });

    await expect(applyMigrations(database.url, { migrationsDir })).rejects.toThrow(
      /Migration 20000102000000_half_done failed/,
    );

    const tables = await query<{ table_name: string }>(
      database.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((table) => table.table_name)).toEqual(['Kept', '_prisma_migrations']);
    expect(await query(database.url, 'SELECT * FROM "Kept"')).toEqual([]);
    const rows = await migrationRows(database.url);
    expect(rows).toEqual([
      expect.objectContaining({ migration_name: '20000101000000_first', applied_steps_count: 1 }),
      expect.objectContaining({
        migration_name: '20000102000000_half_done',
        finished_at: null,
        applied_steps_count: 0,
      }),
    ]);
    expect(rows[0]?.finished_at).toBeInstanceOf(Date);
  });
});

describe('applyMigrations on a database whose history differs from the folder', () => {
  it('names the migrations the database has and the folder lacks, and the applied ones edited since, and applies nothing', async () => {
    const database = await scratchDatabase();
    const newer = await writeMigrationsDir({
      '20000101000000_first': 'CREATE TABLE "First" ("id" INTEGER);\n',
      '20000102000000_newer': 'CREATE TABLE "Newer" ("id" INTEGER);\n',
    });
    await applyMigrations(database.url, { migrationsDir: newer });
    // An older version deployed again, whose copy of the first migration was edited since.
    const older = await writeMigrationsDir({ '20000101000000_first': 'CREATE TABLE "First" ("id" BIGINT);\n' });
    const lines: string[] = [];

    const result = await applyMigrations(database.url, { migrationsDir: older, log: (line) => lines.push(line) });

    expect(result).toEqual({ applied: [], unknown: ['20000102000000_newer'], edited: ['20000101000000_first'] });
    expect(lines).toEqual(
      expect.arrayContaining([
        'The database has 1 migration(s) this code does not have: 20000102000000_newer (applied by a newer version?). They were left as they are.',
        'Migration(s) 20000101000000_first changed after they were applied (their checksum differs): nothing was applied again. Restore the applied migration.sql and put changes in a new migration.',
      ]),
    );
    expect((await migrationRows(database.url)).map((row) => row.migration_name)).toEqual([
      '20000101000000_first',
      '20000102000000_newer',
    ]);
  });
});

describe('unusableDatabase', () => {
  const url = 'postgresql://app:secret@db.example:5432/orders';
  const socketError = (code: string) => Object.assign(new Error(`read ${code}`), { code });

  it.each(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'])(
    'names DATABASE_URL, password hidden, for %s',
    (code) => {
      expect(unusableDatabase(url, socketError(code))).toBe(
        `DATABASE_URL postgresql://app:***@db.example:5432/orders: PostgreSQL could not be used to apply the migrations (${code}: read ${code}). Is it running, and does the database exist?`,
      );
    },
  );

  // The other lists of network codes had these and this one did not: a connection the server
  // closed under the migrator (EPIPE) or an aborted one was not said to be DATABASE_URL's (npm run
  // migrate printed the bare message, the start rethrew the error).
  it.each(['EPIPE', 'ECONNABORTED'])('names DATABASE_URL for %s too, as for a reset connection', (code) => {
    expect(unusableDatabase(url, socketError(code))).toContain(`could not be used to apply the migrations (${code}:`);
  });

  it('is null for an error that says something else', () => {
    expect(unusableDatabase(url, socketError('EACCES'))).toBeNull();
    expect(unusableDatabase(url, Object.assign(new Error('syntax error'), { code: '42601' }))).toBeNull();
  });
});
