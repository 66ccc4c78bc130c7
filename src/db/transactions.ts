import type pg from 'pg';
import { DatabaseUnavailable, ReplicationWaitCancelled, classifyDatabaseFailure } from './database-failure';
import { PreparedStatements } from './prepared-statements';
import { LOCK_SHARE, MIN_ATTEMPT_MS, TransactionStatements } from './transaction-statements';
import type { DatabaseFailure } from './database-failure';
import type { PrismaClient } from './prisma';
import { prismaRunner } from './sql-runner';
import type { SqlRunner } from './sql-runner';

export { DatabaseUnavailable };

/** The default of ORDER_TRANSACTION_BUDGET_MS (see src/config/storage-settings.ts for the why). */
export const DEFAULT_TRANSACTION_BUDGET_MS = 3_000;

/** Attempts of a transaction the server rolled back as a serialization failure or deadlock. */
const MAX_ATTEMPTS = 3;
/** How often a running statement checks that the server is still connected (ms). */
const CLIENT_CHECK_MS = 100;

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
  /**
   * Server-side prepared statements for the transactions' statements (prepared-statements.ts).
   * Default true; off behind a connection pooler in transaction mode (it turns itself off there
   * at the first statement found missing, and `onPreparedStatementsOff` is told).
   */
  preparedStatements?: boolean;
  onPreparedStatementsOff?: (error: unknown) => void;
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
  const prepared = new PreparedStatements(options.preparedStatements ?? true, options.onPreparedStatementsOff);
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
      let staleRetried = false;
      for (let attempt = 1; ; attempt++) {
        try {
          return await runOnce(pool, begin, deadline, prepared, work);
        } catch (error) {
          // A prepared statement that was missing or no longer fits its tables failed before any
          // COMMIT (its connection is closed): the same work once more, on another connection that
          // prepares afresh, or with nothing prepared once missing statements turned preparing off.
          if (staleStatements.has(error as object) && !staleRetried && deadline - performance.now() > MIN_ATTEMPT_MS) {
            staleRetried = true;
            prepared.turnedOffBy(error);
            attempt -= 1;
            continue;
          }
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

/** Failures of a transaction that EXECUTEd a prepared statement that was missing or stale (run sends the work again once). */
const staleStatements = new WeakSet<object>();

async function runOnce<T, R>(
  pool: pg.Pool,
  begin: string,
  deadline: number,
  prepared: PreparedStatements,
  work: (sql: SqlRunner) => Promise<T | RolledBack<R>>,
): Promise<T | R> {
  const client = await connect(pool);
  let broken: Error | undefined;
  // A checked-out client reports a lost connection as an 'error' event (the pool's own listener,
  // db/dropped-connections.ts, keeps it from ending the process): noted, so that the connection is
  // closed rather than handed to the next request. The failing query rejects too.
  const onLost = (error: Error) => (broken = error);
  client.on('error', onLost);
  const sql = new TransactionStatements(client, pool, begin, deadline, prepared);
  try {
    const result = await work(sql);
    if (result instanceof RolledBack) {
      // After queryEachAndCommit the statements themselves left nothing behind (its contract): nothing to roll back.
      if (sql.begun && !sql.committed) await client.query('ROLLBACK');
      return result.value;
    }
    await sql.commit();
    return result;
  } catch (error) {
    if (sql.executedPrepared && prepared.staleBy(error)) {
      // Its prepared statements go with the connection.
      broken ??= error as Error;
      staleStatements.add(error as object);
    }
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
