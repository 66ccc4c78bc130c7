import { existsSync } from 'node:fs';
import pg from 'pg';
import type { SqlQuery } from './risk-training/audit-log-reader';
import { shadowReport, shadowReportMarkdown } from './risk-training/shadow-report';
import { commandFailureMessage } from '../src/cli/command-failure';
import { parseCommandLine } from '../src/cli/command-line';
import { dateOption, postgresUrlOption } from '../src/cli/option-values';
import { loadMigrationTarget } from '../src/config/config';
import { DATABASE_URL_INSTEAD, DataDirInUseError } from '../src/db/data-dir-lock';
import { openEmbeddedDatabase } from '../src/db/embedded-database';

const HELP = {
  usage: 'npm run risk:report -- [options]',
  about: "Compares, on the live audit log, what today's rule did with what the model would have done.",
  options: {
    'database-url': "default DATABASE_URL (the server's database), else the embedded database in EMBEDDED_DATA_DIR",
    // Said here, not as parseArgs' `default`: it is a date computed at run time.
    since: 'ISO date or time to report from; default 7 days ago',
  },
};

/**
 * `npm run risk:report -- [--database-url URL] [--since ISO]`
 *
 * Compares, on the live audit log, what today's rule did with what the model would have done
 * (a server in shadow mode, RISK_MODE=shadow, records both): a table of rule × model decisions,
 * by channel, and what the model would have done with the holds customers later confirmed.
 * Default database: DATABASE_URL, the server's, as every tool of the server reads it (found from
 * outside: an operator with DATABASE_URL exported got the report of the local `postgres` database);
 * without it the embedded one `npm start` serves then, as `npm run migrate` picks it (found from
 * outside: beside an embedded server it read the local `postgres` database and said to migrate).
 * Default since: 7 days ago.
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
  const url = values['database-url'];
  const target = url
    ? { kind: 'servers' as const, databaseUrl: postgresUrlOption('database-url', url) }
    : loadMigrationTarget();
  if (target.kind === 'servers') {
    const client = new pg.Client({ connectionString: target.databaseUrl });
    await client.connect();
    try {
      await printReport(async (sql, params) => (await client.query<Record<string, unknown>>(sql, params)).rows, since);
    } finally {
      await client.end();
    }
    return;
  }
  // A report reads: it makes no embedded database where `npm start` never made one (it made an
  // empty one, and said to migrate it, which would report on nothing).
  if (!existsSync(target.dataDir))
    throw new Error(
      `no DATABASE_URL, and no embedded database in ${target.dataDir}: name the server's database (DATABASE_URL or --database-url)`,
    );
  process.stderr.write(`No DATABASE_URL: the embedded database in ${target.dataDir}.\n`);
  // Refused while an embedded server has the folder open, as every tool of the embedded mode is.
  const database = await openEmbeddedDatabase({ dataDir: target.dataDir, migrate: false });
  try {
    await printReport(
      (sql, params) => database.prisma.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...params),
      since,
    );
  } finally {
    await database.close();
  }
}

async function printReport(query: SqlQuery, since: Date): Promise<void> {
  process.stdout.write(shadowReportMarkdown(await shadowReport(query, since), since));
}

main().catch((error: unknown) => {
  const message =
    error instanceof DataDirInUseError
      ? error.toolMessage('npm run risk:report', DATABASE_URL_INSTEAD)
      : commandFailureMessage(error);
  process.stderr.write(`risk:report failed: ${message}\n`);
  process.exit(1);
});
