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
    expect(help.stdout).toMatch(
      /--database-url <value> +default DATABASE_URL \(the server's database\), else postgresql:/,
    );
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
