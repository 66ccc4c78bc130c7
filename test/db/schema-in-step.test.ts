import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { diffMigrationsToSchema } from '../../scripts/create-migration';
import { ADMIN_DATABASE_URL } from '../support/database';

const PRISMA_DIR = path.join(__dirname, '..', '..', 'prisma');
const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');

/**
 * The migrations are what runs on every database (MIGRATE_ON_START, `npm run migrate`), and the
 * schema is what the client is generated from: a model changed without its migration (or a migration
 * written by hand that says something else) would type-check and fail on the first query. Diffed as
 * `npm run migration:create` diffs them, on a shadow database of the local PostgreSQL.
 */
describe('prisma/schema.prisma and prisma/migrations', () => {
  it('are in step: replaying every migration gives the schema, with nothing left to create', async () => {
    const script = await diffMigrationsToSchema(
      { schema: path.join(PRISMA_DIR, 'schema.prisma'), migrationsDir: MIGRATIONS_DIR },
      ADMIN_DATABASE_URL,
    );
    expect(script).toBeUndefined();
  });

  it('a model the migrations lack is found (the check can fail)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'og-schema-step-'));
    try {
      const schema = path.join(dir, 'schema.prisma');
      await copyFile(path.join(PRISMA_DIR, 'schema.prisma'), schema);
      const extra = '\nmodel StepProbe {\n  id String @id @db.Uuid\n}\n';
      await writeFile(schema, (await readFile(schema, 'utf8')) + extra);
      const script = await diffMigrationsToSchema({ schema, migrationsDir: MIGRATIONS_DIR }, ADMIN_DATABASE_URL);
      expect(script).toContain('CREATE TABLE "StepProbe"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
