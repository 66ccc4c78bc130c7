import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBuiltCli, STACK_TRACE } from '../support/cli';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * `npm run risk:report` as an operator runs it, against PostgreSQL (found from outside: `--since
 * garbage` reached the database as '0NaN-NaN…' with a pg DeprecationWarning, `--database-url
 * notaurl` became 'getaddrinfo ENOTFOUND base').
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('risk_report_cli');
});
afterAll(async () => {
  await db?.drop();
});

const report = (...args: string[]) => runBuiltCli('scripts/risk-report.js', ['--database-url', db.url, ...args]);

describe('npm run risk:report', () => {
  it('reports on a database it can read', async () => {
    const run = await report('--since', '2026-01-01');
    expect([run.code, run.stderr]).toEqual([0, '']);
  });

  it("reads DATABASE_URL, the server's database, when no --database-url is given", async () => {
    // Found from outside: with DATABASE_URL exported for the server, `npm run risk:report` read the
    // local PostgreSQL's `postgres` database instead, as every other tool of the server does not.
    await db.query(
      `INSERT INTO "IdempotencyAuditEvent" ("at", "outcome", "claim", "customerId", "idempotencyKey", "channel",
                                            "latencyMs", "riskScore", "riskAction", "operation")
       VALUES (now(), 'possible_duplicate_held', 'claimed', 'shadow-1', 'shadow-key-1', 'WEB', 1, 0.9, 'HOLD', 'createOrder')`,
    );
    const run = await runBuiltCli('scripts/risk-report.js', [], { databaseUrl: db.url });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain('Scored attempts with a candidate: 1; the two agree on 1.');
    const help = await runBuiltCli('scripts/risk-report.js', ['--help']);
    expect(help.stdout).toMatch(/--database-url <value> +default DATABASE_URL \(the server's database\), else /);
  });

  it('reads the embedded database of EMBEDDED_DATA_DIR without DATABASE_URL, the one `npm start` serves then', async () => {
    // Found from outside: beside an embedded server, risk:report read the local PostgreSQL's
    // `postgres` database, and said "run `npm run migrate` first", which migrates the embedded one.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'og-risk-report-embedded-'));
    try {
      const env = { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: dataDir };
      const unmigrated = await runBuiltCli('scripts/risk-report.js', [], { env });
      expect([unmigrated.code, unmigrated.stderr]).toEqual([
        1,
        `No DATABASE_URL: the embedded database in ${dataDir}.\nrisk:report failed: the database has no Order Gate schema (its tables are missing): run \`npm run migrate\` first\n`,
      ]);
      expect((await runBuiltCli('src/db/migrations/migrate-cli.js', [], { env })).code).toBe(0);
      const run = await runBuiltCli('scripts/risk-report.js', ['--since', '2026-01-01'], { env });
      expect([run.code, run.stderr]).toEqual([0, `No DATABASE_URL: the embedded database in ${dataDir}.\n`]);
      expect(run.stdout).toContain('Scored attempts with a candidate: 0; the two agree on 0.');
      const help = await runBuiltCli('scripts/risk-report.js', ['--help']);
      expect(help.stdout).toMatch(
        /--database-url <value> +default DATABASE_URL \(the server's database\), else the embedded/,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('says, while a running `npm start` holds the embedded database, to stop it first', async () => {
    // Found following docs/risk.md: it said the server's "Cannot start: … give this one another
    // folder (EMBEDDED_DATA_DIR)", which for a report would read another, empty database.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'og-risk-report-in-use-'));
    try {
      // The lock a running server holds: a live process's pid (this test's).
      await writeFile(`${dataDir}.lock`, String(process.pid));
      const env = { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: dataDir };
      const run = await runBuiltCli('scripts/risk-report.js', [], { env });
      expect([run.code, run.stdout, run.stderr]).toEqual([
        1,
        '',
        `No DATABASE_URL: the embedded database in ${dataDir}.\n` +
          `risk:report failed: the embedded database in ${dataDir} is in use by process ${process.pid} ` +
          '(a running `npm start`?): stop it first, then run `npm run risk:report` again; ' +
          'or point DATABASE_URL at a PostgreSQL server\n',
      ]);
    } finally {
      await rm(`${dataDir}.lock`, { force: true });
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('makes no embedded database where there is none: it says where it looked and what to give instead', async () => {
    // Found following docs/risk.md: with the server's DATABASE_URL not exported in its shell,
    // `npm run risk:report` made an empty embedded database in .data/pglite and said to migrate it:
    // migrated, it reports on nothing.
    const parent = await mkdtemp(path.join(os.tmpdir(), 'og-risk-report-none-'));
    const dataDir = path.join(parent, 'pglite');
    try {
      const env = { DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: dataDir };
      const run = await runBuiltCli('scripts/risk-report.js', [], { env });
      expect([run.code, run.stdout, run.stderr]).toEqual([
        1,
        '',
        `risk:report failed: no DATABASE_URL, and no embedded database in ${dataDir}: name the server's database (DATABASE_URL or --database-url)\n`,
      ]);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('says in --help what --since defaults to: 7 days ago', async () => {
    // Found following docs/risk.md: the default was only in a comment of the script.
    const help = await runBuiltCli('scripts/risk-report.js', ['--help']);
    expect(help.stdout).toMatch(/--since <value> +ISO date or time to report from; default 7 days ago\n/);
  });

  it('refuses a --since it cannot read in one line, exit 2, before connecting', async () => {
    const run = await report('--since', 'garbage');
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: '--since: not an ISO date: garbage\n',
    });
  });

  it('refuses a --database-url that is not a postgresql:// URL in one line, exit 2', async () => {
    const run = await runBuiltCli('scripts/risk-report.js', ['--database-url', 'notaurl']);
    expect([run.code, run.stderr]).toEqual([
      2,
      '--database-url: not a postgresql:// URL (postgresql://user@host:5432/database): notaurl\n',
    ]);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
