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
      expect(run.stdout).toContain('No attempt since 2026-01-01T00:00:00.000Z was scored or decided by a model');
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

/**
 * What the report says of rows it cannot compare (found from outside: a log written in decide mode
 * was printed as "the two agree on 200", the model's decisions in the "today's rule" column;
 * unscored attempts appeared nowhere; a database that never had a model gave an empty table).
 */
describe('npm run risk:report on what is not a shadow comparison', () => {
  let modes: TestDatabase;
  beforeAll(async () => {
    modes = await createTestDatabase('risk_report_modes');
  });
  afterAll(async () => {
    await modes?.drop();
  });

  /** Audit rows of new-key attempts with a candidate at `day` (outcome, riskAction, riskMode). */
  async function attempts(day: string, rows: [string, string | null, string | null][]): Promise<void> {
    for (const [i, [outcome, riskAction, riskMode]] of rows.entries())
      await modes.query(
        `INSERT INTO "IdempotencyAuditEvent" ("at", "outcome", "claim", "customerId", "idempotencyKey", "channel",
                                              "latencyMs", "similarity", "riskScore", "riskAction", "riskMode", "operation")
         VALUES ($1::timestamptz + $2 * interval '1 second', $3, 'claimed', 'c-' || $2, 'k-' || $2, 'WEB', 1, 1,
                 CASE WHEN $4::text IS NULL THEN NULL ELSE 0.5 END, $4, $5, 'createOrder')`,
        [day, i, outcome, riskAction, riskMode],
      );
  }
  const reportFrom = (since: string, until?: string) =>
    runBuiltCli('scripts/risk-report.js', ['--database-url', modes.url, '--since', since]).then((run) => {
      expect([run.code, run.stderr]).toEqual([0, '']);
      return until ? run.stdout.slice(0, run.stdout.indexOf(until)) : run.stdout;
    });

  it('says there are no scored rows, and why that may be, where no model scored', async () => {
    await attempts('2026-03-01T00:00:00Z', [
      ['possible_duplicate_held', null, null],
      ['created', null, null],
    ]);
    const stdout = await reportFrom('2026-03-01');
    expect(stdout).toContain('No attempt since 2026-03-01T00:00:00.000Z was scored or decided by a model');
    expect(stdout).toContain('RISK_MODEL_PATH');
    expect(stdout).toContain('RISK_MODE=shadow');
    expect(stdout).not.toContain('| HOLD |');
  });

  it('counts the unscored attempts and what the rule decided for them', async () => {
    await attempts('2026-04-01T00:00:00Z', [
      ['possible_duplicate_held', 'HOLD', 'shadow'],
      ['possible_duplicate_held', null, 'shadow'],
      ['created', null, 'shadow'],
      ['created', null, 'shadow'],
    ]);
    const stdout = await reportFrom('2026-04-01');
    expect(stdout).toContain('Scored attempts with a candidate: 1; the two agree on 1.');
    expect(stdout).toContain(
      "Unscored attempts (the model's features failed or came late, or it could not score; today's rule decided): 3: 1 held, 0 flagged, 2 passed.",
    );
  });

  it('does not take the model’s decisions for the rule’s: decide-mode rows are reported apart, not compared', async () => {
    await attempts('2026-05-01T00:00:00Z', [
      ['possible_duplicate_held', 'HOLD', 'decide'],
      ['possible_duplicate_held', 'HOLD', 'decide'],
      ['created', 'PASS', 'decide'],
      ['possible_duplicate_flagged', 'FLAG', 'decide'],
    ]);
    const stdout = await reportFrom('2026-05-01');
    expect(stdout).toContain(
      "Decided by the model (RISK_MODE=decide): 4 attempts: 2 held, 1 flagged, 1 passed. Today's rule did not decide them, so they are not compared with it",
    );
    expect(stdout).toContain('No attempt in shadow mode since 2026-05-01T00:00:00.000Z: nothing to compare.');
    expect(stdout).not.toContain('agree');
  });
});
