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
