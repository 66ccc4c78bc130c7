import pg from 'pg';
import { ReplicationWaitCancelled } from './database-failure';
import { inlineStatement } from './inline-statement';
import type { PreparedStatements } from './prepared-statements';
import type { Prisma } from './prisma';
import { pgRunner } from './sql-runner';
import type { SqlRunner } from './sql-runner';

/** A retry needs at least this much of the budget left, or the failure is answered instead; a COMMIT gets at least this long (ms). */
export const MIN_ATTEMPT_MS = 100;
/** The lock wait gets this share of what a statement may take, so a held row is reported as a lock timeout (55P03), not 57014. */
export const LOCK_SHARE = 0.8;

/**
 * The transaction's statements on `client`, sent so that a transaction takes as few round trips as
 * it can. BEGIN goes with the first statement, statements the unit of work sends together go in one
 * message (queryEach), and COMMIT with them when the unit of work asks for it (queryEachAndCommit):
 * one message in the simple-query protocol each: `EXECUTE` of the statement prepared on the
 * connection (prepared-statements.ts, before the first message), else the statement with its values
 * written in (inline-statement.ts). A statement whose values cannot be written in goes with
 * parameters, BEGIN or COMMIT in a round trip of its own, as before.
 */
export class TransactionStatements implements SqlRunner {
  /** BEGIN was sent. */
  begun = false;
  /** COMMIT was sent. */
  committed = false;
  /** A COMMIT past the budget was cancelled (see commit). */
  cancelled = false;
  /** A message EXECUTEd a prepared statement (see PreparedStatements.staleBy). */
  executedPrepared = false;
  private readonly statements: SqlRunner;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly pool: pg.Pool,
    private readonly begin: string,
    private readonly deadline: number,
    private readonly prepared: PreparedStatements,
  ) {
    this.statements = pgRunner(client);
  }

  async query<T>(statement: Prisma.Sql): Promise<T[]> {
    if (this.begun) return this.statements.query<T>(statement);
    await this.prepare([statement]);
    this.begun = true;
    const inlined = this.inline(statement);
    if (inlined === null) {
      await this.client.query(this.begin);
      return this.statements.query<T>(statement);
    }
    // Several statements in one message answer one result each; the caller's is the last.
    const results = (await this.client.query(`${this.begin}; ${inlined}`)) as unknown as pg.QueryResult[];
    return results[results.length - 1].rows as T[];
  }

  queryEach(statements: readonly Prisma.Sql[]): Promise<unknown[][]> {
    return this.sendTogether(statements, false);
  }

  queryEachAndCommit(statements: readonly Prisma.Sql[]): Promise<unknown[][]> {
    return this.sendTogether(statements, true);
  }

  /**
   * The statements in one message, after BEGIN if it was not sent yet and before COMMIT if asked;
   * each one's rows. Values that cannot be written in: one round trip each, then COMMIT.
   */
  private async sendTogether(statements: readonly Prisma.Sql[], commits: boolean): Promise<unknown[][]> {
    if (!this.begun) await this.prepare(statements);
    const inlined = statements.map((statement) => this.inline(statement));
    if (inlined.includes(null)) {
      const rows: unknown[][] = [];
      for (const statement of statements) rows.push(await this.query(statement));
      if (commits) await this.commit();
      return rows;
    }
    const texts = [...(this.begun ? [] : [this.begin]), ...inlined];
    this.begun = true;
    const message = texts.join('; ');
    // One result per statement, BEGIN's and the SET LOCALs' first, COMMIT's last.
    const answered: pg.QueryResult | pg.QueryResult[] = commits
      ? await this.committing(`${message}; COMMIT`)
      : await this.client.query(message);
    const results = Array.isArray(answered) ? answered : [answered];
    const own = results.slice(0, results.length - (commits ? 1 : 0));
    return own.slice(own.length - statements.length).map((result): unknown[] => result.rows);
  }

  /** COMMIT, unless nothing was begun or it went already. */
  async commit(): Promise<void> {
    if (this.begun && !this.committed) await this.committing('COMMIT');
  }

  /** COMMIT, alone or with statements before it in one message; what the message answered. */
  private async committing(text: string): Promise<pg.QueryResult | pg.QueryResult[]> {
    this.committed = true;
    const leftMs = Math.max(MIN_ATTEMPT_MS, Math.floor(this.deadline - performance.now()));
    const { value, cancelled } = await commit(this.client, this.pool, leftMs, text);
    this.cancelled = cancelled;
    return value;
  }

  /**
   * Prepares what the connection lacks, before BEGIN, within what is left of the budget (a
   * PREPARE waits on its tables' locks as a statement does); with too little left, nothing.
   */
  private async prepare(statements: readonly Prisma.Sql[]): Promise<void> {
    const leftMs = Math.floor(this.deadline - performance.now());
    if (leftMs < MIN_ATTEMPT_MS) return;
    const begin = `BEGIN; SET LOCAL statement_timeout = ${leftMs}; SET LOCAL lock_timeout = ${Math.floor(leftMs * LOCK_SHARE)}`;
    await this.prepared.prepare(this.client, statements, begin);
  }

  /** The statement's text in a message: EXECUTE where prepared, else its values written in; null when they cannot be. */
  private inline(statement: Prisma.Sql): string | null {
    const executed = this.prepared.executeText(this.client, statement);
    if (executed !== null) {
      this.executedPrepared = true;
      return executed;
    }
    return inlineStatement(statement, (text) => this.client.escapeLiteral(text));
  }
}

/** What a server notice (pg's 'notice' event) carries that we read. */
interface Notice {
  severity?: string;
  code?: string;
  message?: string;
}

/**
 * COMMIT, within what is left of the budget. PostgreSQL turns statement_timeout off before it
 * commits, so a commit that waits for a synchronous standby that never answers would wait forever:
 * past the budget, we cancel it (pg_cancel_backend, from a connection of its own). PostgreSQL then
 * ends the wait and reports success with only a WARNING: the transaction committed locally, but
 * is not known to be replicated. That is no acknowledgement to pass on: it becomes
 * ReplicationWaitCancelled (a 503), and the client's retry with the same key finds the order.
 * `text` is COMMIT, or the transaction's last statement and COMMIT in one message. Answers what it
 * answered, and whether it had to cancel (the connection is then closed, so that no late cancel
 * can reach the next transaction on it).
 */
async function commit(
  client: pg.PoolClient,
  pool: pg.Pool,
  leftMs: number,
  text: string,
): Promise<{ value: pg.QueryResult | pg.QueryResult[]; cancelled: boolean }> {
  let replicationWarning: Notice | undefined;
  const onNotice = (notice: Notice) => {
    if (notice.severity === 'WARNING' && /synchronous replication/.test(notice.message ?? ''))
      replicationWarning = notice;
  };
  let cancelling: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    cancelling = cancelBackend(pool, client);
  }, leftMs);
  client.on('notice', onNotice);
  let value: pg.QueryResult | pg.QueryResult[];
  try {
    value = await client.query(text);
  } finally {
    clearTimeout(timer);
    client.off('notice', onNotice);
    await cancelling;
  }
  if (replicationWarning)
    throw new ReplicationWaitCancelled(
      `commit not confirmed by a synchronous standby: ${replicationWarning.message}`,
      replicationWarning.code,
    );
  return { value, cancelled: cancelling !== undefined };
}

/** Cancels what `client`'s server process runs, from a short-lived connection of its own. */
async function cancelBackend(pool: pg.Pool, client: pg.PoolClient): Promise<void> {
  // pg keeps the server process id of a connection (BackendKeyData) without declaring it in its types.
  const { processID } = client as unknown as { processID: number };
  const canceller = new pg.Client(pool.options);
  // Its session can be terminated too (a failover, an operator's pg_terminate_backend): pg fails the
  // query, then reports the closed connection as an 'error' event, which without a listener ends
  // the process.
  canceller.on('error', () => undefined);
  try {
    await canceller.connect();
    await canceller.query('SELECT pg_cancel_backend($1)', [processID]);
  } catch {
    // The database is gone too: the COMMIT fails on its own.
  } finally {
    await canceller.end().catch(() => undefined);
  }
}
