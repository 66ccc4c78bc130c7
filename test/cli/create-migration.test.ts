import { migrationName } from '../../scripts/create-migration';
import { runBuiltCli, STACK_TRACE } from '../support/cli';

/**
 * `npm run migration:create -- <name>`'s name, as docs/migrations.md's reader types it (found by
 * walking the docs: `été` became `_t`, and a name of other scripts or two unquoted words got the
 * usage alone, as if no name had been given).
 */
describe('npm run migration:create names the folder', () => {
  it('as the Prisma CLI does, dropping accents rather than the letters that carry them', () => {
    expect(migrationName(['Add product notes'])).toEqual({ name: 'add_product_notes' });
    expect(migrationName(['Notes — été, Ñandú'])).toEqual({ name: 'notes_ete_nandu' });
    expect(migrationName(['add_order_notes'])).toEqual({ name: 'add_order_notes' });
  });

  it.each([
    [[], 'A migration needs a name.'],
    [['add', 'notes'], 'One name, not 2 words: quote it ("add notes") or join them with _ (add_notes).'],
    [['注文'], '"注文" has no letter a-z or digit 0-9 to name a folder with: use e.g. add_order_notes.'],
  ])('refuses %j saying why, before the usage, without touching a database', async (args, reason) => {
    const run = await runBuiltCli('scripts/create-migration.js', args);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: '' });
    expect(run.stderr).toBe(`${reason}\nUsage: npm run migration:create -- <name>     e.g. add_order_notes\n`);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('npm run migration:create without a PostgreSQL server for its shadow database', () => {
  it('says that it needs one, which it tried and where it looks by default (found from outside: "connect ECONNREFUSED" alone)', async () => {
    // runBuiltCli's DATABASE_URL: nothing listens on port 9.
    const run = await runBuiltCli('scripts/create-migration.js', ['add_notes']);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'create-migration failed: its shadow database needs a PostgreSQL server, and DATABASE_URL postgresql://nobody@127.0.0.1:9/none cannot be used (connect ECONNREFUSED 127.0.0.1:9); without DATABASE_URL it uses postgresql://postgres@127.0.0.1:5432/postgres\n',
    });
  });
});
