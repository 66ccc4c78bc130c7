import pg from 'pg';
import { shadowReport, shadowReportMarkdown } from './risk-training/shadow-report';
import { commandFailureMessage } from '../src/cli/command-failure';
import { parseCommandLine } from '../src/cli/command-line';
import { dateOption, postgresUrlOption } from '../src/cli/option-values';
import { LOCAL_DATABASE_URL, toolDatabaseUrl } from './harness/local-database';

const HELP = {
  usage: 'npm run risk:report -- [options]',
  about: "Compares, on the live audit log, what today's rule did with what the model would have done.",
  options: { 'database-url': `default DATABASE_URL (the server's database), else ${LOCAL_DATABASE_URL}` },
};

/**
 * `npm run risk:report -- [--database-url URL] [--since ISO]`
 *
 * Compares, on the live audit log, what today's rule did with what the model would have done
 * (a server in shadow mode, RISK_MODE=shadow, records both): a table of rule × model decisions,
 * by channel, and what the model would have done with the holds customers later confirmed.
 * Default database: DATABASE_URL, the server's, as every tool of the server reads it (found from
 * outside: an operator with DATABASE_URL exported got the report of the local `postgres` database);
 * without it the local one. Default since: 7 days ago.
 */
async function main(): Promise<void> {
  const { values } = parseCommandLine(HELP, {
    options: {
      'database-url': { type: 'string' },
      since: { type: 'string' },
    },
  });
  // Refused before connecting: an unreadable date reached PostgreSQL as '0NaN-NaN…', a URL that is
  // not one was read by pg as a host name ('getaddrinfo ENOTFOUND base').
  const since = values.since ? dateOption('since', values.since) : new Date(Date.now() - 7 * 86_400_000);
  const databaseUrl = values['database-url'] ?? toolDatabaseUrl();
  const client = new pg.Client({ connectionString: postgresUrlOption('database-url', databaseUrl) });
  await client.connect();
  try {
    const report = await shadowReport(
      async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows,
      since,
    );
    process.stdout.write(shadowReportMarkdown(report, since));
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`risk:report failed: ${commandFailureMessage(error)}\n`);
  process.exit(1);
});
