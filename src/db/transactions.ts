import pg from 'pg';
import { DatabaseUnavailable, ReplicationWaitCancelled, classifyDatabaseFailure } from './database-failure';
import type { DatabaseFailure } from './database-failure';
import { inlineStatement } from './inline-statement';
import type { Prisma, PrismaClient } from './prisma';
import { pgRunner, prismaRunner } from './sql-runner';
import type { SqlRunner } from './sql-runner';

export { DatabaseUnavailable };

/** The default of ORDER_TRANSACTION_BUDGET_MS (see src/config/config.ts for the why). */
export const DEFAULT_TRANSACTION_BUDGET_MS = 3_000;

/** Attempts of a transaction the server rolled back as a serialization failure or deadlock. */
const MAX_ATTEMPTS = 3;
/** A retry needs at least this much of the budget left, or the failure is answered instead (ms). */
const MIN_ATTEMPT_MS = 100;
/** How often a running statement checks that the server is still connected (ms). */
const CLIENT_CHECK_MS = 100;
/** The lock wait gets this share of the budget, so a held row is reported as a lock timeout (55P03), not 57014. */
const LOCK_SHARE = 0.8;

/** What happened to a failed transaction: run again in a fresh one, or handed to the caller. */
export type FailureOutcome = 'retried' | 'raised';

/** Told of every recognised database failure of a transaction (metrics, logs). Must not throw. */
export type DatabaseFailureObserver = (failure: DatabaseFailure, outcome: FailureOutcome, error: unknown) => void;

/** Timing of write transactions. */
export interface TransactionOptions {
  /**
   * What one transaction may wait (ms): each statement (statement_timeout, and lock_timeout at
   * 80 % of it, so that a held row is reported as a lock timeout), and the COMMIT, cancelled past
   * this long from the start; in-server retries only while it lasts. The pool's connect timeout
   * is set to it too (db/prisma.ts). Default 3 000.
   */
  budgetMs?: number;
  /** Told of each recognised failure. */
  onFailure?: DatabaseFailureObserver;
}

/**
 * An answer whose transaction must leave nothing behind (an order refused for its stock after its
 * row was written): `run` rolls the transaction back and returns `value`. An expected refusal is a
 * value, not an exception; exceptions stay for failures.
 */
export class RolledBack<V> {
  constructor(readonly value: V) {}
}

/** `value`, answered by rolling the transaction back (see RolledBack). */
export function rollBack<V>(value: V): RolledBack<V> {
  return new RolledBack(value);
}

/** Runs units of work in transactions (READ COMMITTED, PostgreSQL's default). */
export interface Transactions {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it resolves to a
   * RolledBack (its value is returned) or throws (the error is rethrown). `work` may run more than
   * once (a fresh transaction after a serialization failure or deadlock): it must have no effect
   * outside the transaction.
   */
  run<T, R = never>(work: (sql: SqlRunner) => Promise<T | RolledBack<R>>): Promise<T | R>;
}

/**
 * Transactions straight on the pg pool that Prisma's adapter also uses: BEGIN, the statements,
 * COMMIT, with nothing in between. Prisma's interactive transactions add a transaction manager,
 * timers and its query engine's round trips around the same statements; the order transaction is
 * the hottest write path, so it goes here (reads stay with Prisma).
 *
 * A transaction the server rolled back as a serialization failure or deadlock ran to no effect and
 * nothing was acknowledged yet: it runs again, in a fresh transaction, while attempts and budget
 * last. Every other failure is the caller's (database-failure.ts gives its answer).
 */
export function poolTransactions(pool: pg.Pool, options: TransactionOptions = {}): Transactions {
  const budgetMs = options.budgetMs ?? DEFAULT_TRANSACTION_BUDGET_MS;
  const onFailure = options.onFailure ?? (() => undefined);
  // SET LOCAL, in BEGIN's round trip (which also carries the first statement): the limits end with
  // the transaction, the connection goes back unchanged.
  // client_connection_check_interval: the last statement carries COMMIT in its message, so a
  // server that dies while it waits on a row lock would otherwise see its order committed once the
  // lock comes free; PostgreSQL checks this often that the client is still there, and rolls back.
  const begin =
    `BEGIN; SET LOCAL statement_timeout = ${Math.floor(budgetMs)}; ` +
    `SET LOCAL lock_timeout = ${Math.floor(budgetMs * LOCK_SHARE)}; ` +
    `SET LOCAL client_connection_check_interval = ${CLIENT_CHECK_MS}`;
  return {
    async run<T, R = never>(work: (sql: SqlRunner) => Promise<T | RolledBack<R>>): Promise<T | R> {
      const deadline = performance.now() + budgetMs;
      for (let attempt = 1; ; attempt++) {
        try {
          return await runOnce(pool, begin, deadline, work);
        } catch (error) {
          const failure = classifyDatabaseFailure(error);
          if (!failure) throw error;
          const retry =
            failure.answer.retriedInServer && attempt < MAX_ATTEMPTS && deadline - performance.now() > MIN_ATTEMPT_MS;
          onFailure(failure, retry ? 'retried' : 'raised', error);
          if (!retry) throw error;
          // A little jitter, so that the two sides of a deadlock do not meet again in step.
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
        }
      }
    },
  };
}

async function runOnce<T, R>(
  pool: pg.Pool,
  begin: string,
  deadline: number,
  work: (sql: SqlRunner) => Promise<T | RolledBack<R>>,
): Promise<T | R> {
  const client = await connect(pool);
  let broken: Error | undefined;
  // A checked-out client reports a lost connection as an 'error' event (the pool's own listener,
  // db/dropped-connections.ts, keeps it from ending the process): noted, so that the connection is
  // closed rather than handed to the next request. The failing query rejects too.
  const onLost = (error: Error) => (broken = error);
  client.on('error', onLost);
  const sql = new TransactionStatements(client, pool, begin, deadline);
  try {
    const result = await work(sql);
    if (result instanceof RolledBack) {
      // After queryAndCommit the statement itself left nothing behind (its contract): nothing to roll back.
      if (sql.begun && !sql.committed) await client.query('ROLLBACK');
      return result.value;
    }
    await sql.commit();
    return result;
  } catch (error) {
    // Committed locally already: nothing to roll back, and the connection was used for a cancel.
    if (error instanceof ReplicationWaitCancelled) broken = error;
    else await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
    throw error;
  } finally {
    client.off('error', onLost);
    if (sql.cancelled) broken ??= new Error('commit cancelled past the budget');
    // A connection that was lost, or whose rollback failed, is closed rather than handed to the next request.
    client.release(broken);
  }
}

/**
 * The transaction's statements on `client`, sent so that a transaction takes as few round trips as
 * it can. BEGIN goes with the first statement, and COMMIT with the last when the unit of work asks
 * for it (queryAndCommit): one message in the simple-query protocol each, the statement's values
 * written in (inline-statement.ts). A statement whose values cannot be written in goes with
 * parameters, BEGIN or COMMIT in a round trip of its own, as before.
 */
class TransactionStatements implements SqlRunner {
  /** BEGIN was sent. */
  begun = false;
  /** COMMIT was sent. */
  committed = false;
  /** A COMMIT past the budget was cancelled (see commit). */
  cancelled = false;
  private readonly statements: SqlRunner;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly pool: pg.Pool,
    private readonly begin: string,
    private readonly deadline: number,
  ) {
    this.statements = pgRunner(client);
  }

  async query<T>(statement: Prisma.Sql): Promise<T[]> {
    if (this.begun) return this.statements.query<T>(statement);
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

  async queryAndCommit<T>(statement: Prisma.Sql): Promise<T[]> {
    const inlined = this.begun ? this.inline(statement) : null;
    // The first statement, or values that cannot be written in: as any other, run commits after it.
    if (inlined === null) return this.query<T>(statement);
    const [result] = (await this.committing(`${inlined}; COMMIT`)) as pg.QueryResult[];
    return result.rows as T[];
  }

  /** COMMIT, unless nothing was begun or it went already. */
  async commit(): Promise<void> {
    if (this.begun && !this.committed) await this.committing('COMMIT');
  }

  /** COMMIT, alone or with a statement before it in one message; what the message answered. */
  private async committing(text: string): Promise<pg.QueryResult | pg.QueryResult[]> {
    this.committed = true;
    const leftMs = Math.max(MIN_ATTEMPT_MS, Math.floor(this.deadline - performance.now()));
    const { value, cancelled } = await commit(this.client, this.pool, leftMs, text);
    this.cancelled = cancelled;
    return value;
  }

  private inline(statement: Prisma.Sql): string | null {
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

/** Transactions through Prisma: the embedded database (PGlite), which has no pg pool and no other session. */
export function prismaTransactions(prisma: PrismaClient): Transactions {
  // PGlite runs one transaction at a time: one may wait for others before it starts.
  const settings = { maxWait: 10_000, timeout: 20_000 };
  return {
    async run<T, R = never>(work: (sql: SqlRunner) => Promise<T | RolledBack<R>>): Promise<T | R> {
      try {
        return await prisma.$transaction(async (tx) => {
          const result = await work(prismaRunner(tx));
          // Prisma rolls an interactive transaction back only when its function throws.
          if (result instanceof RolledBack) throw new RollbackRequested(result.value);
          return result;
        }, settings);
      } catch (error) {
        // Only a RolledBack<R> of this call's work throws RollbackRequested.
        if (error instanceof RollbackRequested) return error.value as R;
        throw error;
      }
    },
  };
}

/** Carries a RolledBack's value out of a Prisma transaction (never leaves this module). */
class RollbackRequested extends Error {
  constructor(readonly value: unknown) {
    super('rolled back on request');
  }
}

/** A pooled connection; the pool's connect timeout (the budget) bounds the wait (storms queue here). */
async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw new DatabaseUnavailable(`no database connection: ${(error as Error).message}`, { cause: error });
  }
}
