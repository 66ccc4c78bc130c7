import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, defaultMigrationsDir } from '../../src/db/migrator';
import { createScratchDatabase, dropScratchDatabase } from '../../src/db/scratch-database';
import type { ScratchDatabase } from '../../src/db/scratch-database';

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
  migrationNames = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
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
    expect(await applyMigrations(database.url)).toEqual({ applied: migrationNames });
    expect(await applyMigrations(database.url)).toEqual({ applied: [] });
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

    const checks = await query<{ conname: string }>(database.url, "SELECT conname FROM pg_constraint WHERE contype = 'c'");
    expect(checks.map((check) => check.conname)).toEqual(
      expect.arrayContaining(['Product_stock_nonnegative', 'OrderItem_quantity_positive', 'Order_totalCents_nonnegative']),
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
    expect(results.map((result) => result.applied.length).sort()).toEqual([0, migrationNames.length]);
    const rows = await migrationRows(database.url);
    expect(rows.map((row) => row.migration_name)).toEqual(migrationNames);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });
});

describe('applyMigrations with a failing migration', () => {
  let migrationsDir: string;

  beforeAll(async () => {
    migrationsDir = await mkdtemp(path.join(tmpdir(), 'migrator-test-'));
    await writeFile(path.join(migrationsDir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    await mkdir(path.join(migrationsDir, '20000101000000_broken'));
    await writeFile(path.join(migrationsDir, '20000101000000_broken', 'migration.sql'), 'SELECT no_such_function();\n');
  });

  afterAll(async () => {
    await rm(migrationsDir, { recursive: true, force: true });
  });

  it('throws an Error naming the migration, and records it as failed', async () => {
    const database = await scratchDatabase();
    await expect(applyMigrations(database.url, { migrationsDir })).rejects.toThrow(
      /Migration 20000101000000_broken failed: .*no_such_function\(\) does not exist/s,
    );
    const rows = await migrationRows(database.url);
    expect(rows).toEqual([expect.objectContaining({ migration_name: '20000101000000_broken', finished_at: null })]);
  });

  it('throws when the migrations directory does not exist', async () => {
    const database = await scratchDatabase();
    await expect(applyMigrations(database.url, { migrationsDir: path.join(migrationsDir, 'missing') })).rejects.toThrow(
      'Migrations directory not found',
    );
  });
});
