import pg from 'pg';

/** The SQL statements seen so far; `stop` puts the driver back as it was. */
export interface StatementLog {
  readonly statements: string[];
  stop(): void;
}

/**
 * Records the text of every statement this process sends to PostgreSQL through `pg` (Prisma's
 * driver adapter and the order transaction's pool both use it) to the database named `database`,
 * so that a test can count what a request read. Nothing is changed on the way: the real query runs.
 */
export function recordStatements(database: string): StatementLog {
  const statements: string[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first] = args;
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    if (this.database === database && text !== undefined) statements.push(text);
    return original.apply(this, args);
  };
  return {
    statements,
    stop() {
      prototype.query = original;
    },
  };
}
