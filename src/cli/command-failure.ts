/** PostgreSQL's "undefined_table": the database is there, its tables are not. */
const UNDEFINED_TABLE = '42P01';

/** Whether the error is a missing table, as pg reports it or as Prisma wraps the driver's answer. */
function isMissingTable(error: unknown): boolean {
  const found = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
  } | null;
  return (
    found?.code === UNDEFINED_TABLE ||
    found?.code === 'P2021' ||
    found?.meta?.driverAdapterError?.cause?.originalCode === UNDEFINED_TABLE
  );
}

/**
 * What an offline command says when it fails: one line an operator can act on. A database
 * without the schema (never migrated) is said as such, with what to run, instead of the driver's
 * `Raw query failed. Code: 42P01`; anything else is its message.
 */
export function commandFailureMessage(error: unknown): string {
  if (isMissingTable(error))
    return 'the database has no Order Gate schema (its tables are missing): run `npm run migrate` first';
  return error instanceof Error ? error.message : String(error);
}
