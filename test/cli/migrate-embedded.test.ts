import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBuiltCli, STACK_TRACE } from '../support/cli';
import { PROJECT_ROOT } from '../support/server';

/**
 * `npm run migrate` without DATABASE_URL migrates the embedded database `npm start` serves (found
 * from outside: a newcomer who ran it beside the embedded server migrated the local PostgreSQL's
 * `postgres` database, which nothing used, and was told "Applied 15 migration(s)").
 */
const MIGRATIONS = readdirSync(path.join(PROJECT_ROOT, 'prisma/migrations')).filter((name) => /^\d{14}_/.test(name));
// Exported but empty counts as unset: the embedded mode, as on a newcomer's machine.
const NO_SERVERS = { DATABASE_URL: '', REDIS_URL: '' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'og-migrate-embedded-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run migrate without DATABASE_URL', () => {
  it('migrates the embedded database of EMBEDDED_DATA_DIR, then finds it up to date', async () => {
    const dataDir = path.join(dir, 'pglite');
    const env = { ...NO_SERVERS, EMBEDDED_DATA_DIR: dataDir };
    const first = await runBuiltCli('src/db/migrations/migrate-cli.js', [], { env });
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`No DATABASE_URL: the embedded database in ${dataDir}.`);
    expect(first.stdout).toContain(`Applied ${MIGRATIONS.length} migration(s).`);
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(existsSync(`${dataDir}.lock`)).toBe(false); // released

    const second = await runBuiltCli('src/db/migrations/migrate-cli.js', [], { env });
    expect([second.code, second.stdout.trim().split('\n').pop()]).toEqual([0, 'Database is up to date.']);
  }, 120_000);

  it('refuses, naming the process, while a server has the folder open', async () => {
    const dataDir = path.join(dir, 'in-use');
    // The lock a running server holds: a live process's pid (this test's).
    await writeFile(`${dataDir}.lock`, String(process.pid));
    const run = await runBuiltCli('src/db/migrations/migrate-cli.js', [], {
      env: { ...NO_SERVERS, EMBEDDED_DATA_DIR: dataDir },
    });
    expect(run.code).toBe(1);
    // Found following the README: the server's "Cannot start: … give this one another folder" is
    // wrong for a tool, which starts nothing and would migrate an empty database elsewhere.
    expect(run.stderr).toBe(
      `the embedded database in ${dataDir} is in use by process ${process.pid} (a running \`npm start\`?): ` +
        'stop it first, then run `npm run migrate` again; or point DATABASE_URL at a PostgreSQL server\n',
    );
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(existsSync(dataDir)).toBe(true); // created, but never opened
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
