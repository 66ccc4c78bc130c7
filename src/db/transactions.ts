import type pg from 'pg';
import type { PrismaClient } from './prisma';
import { pgRunner, prismaRunner } from './sql-runner';
import type { SqlRunner } from './sql-runner';

/** Timing of write transactions. */
export interface TransactionOptions {
  /** How long a transaction may wait for a pooled connection (ms), embedded mode (the pool's own connect timeout applies with the servers). Default 10 000. */
  maxWaitMs?: number;
  /** How long one transaction may run before it is rolled back (ms). Default 20 000. */
  timeoutMs?: number;
}

/** Runs units of work in transactions (READ COMMITTED, PostgreSQL's default). */
export interface Transactions {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws (the error is rethrown). */
  run<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
}

/** The database could not hand out a connection in time (down, or every connection busy): worth a retry. */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

/**
 * Transactions straight on the pg pool that Prisma's adapter also uses: BEGIN, the statements,
 * COMMIT, with nothing in between. Prisma's interactive transactions add a transaction manager,
 * timers and its query engine's round trips around the same statements; the order transaction is
 * the hottest write path, so it goes here (reads stay with Prisma).
 */
export function poolTransactions(pool: pg.Pool, options: TransactionOptions = {}): Transactions {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return {
    async run<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T> {
      const client = await connect(pool);
      let broken: Error | undefined;
      // A checked-out client reports a lost connection as an 'error' event (the pool only listens
      // on idle ones): without a listener it would crash the process. The failing query rejects too.
      const onLost = (error: Error) => (broken = error);
      client.on('error', onLost);
      try {
        // SET LOCAL: the time limit ends with the transaction, the connection goes back unchanged.
        await client.query(`BEGIN; SET LOCAL statement_timeout = ${Math.floor(timeoutMs)}`);
        const result = await work(pgRunner(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.off('error', onLost);
        // A connection that was lost, or whose rollback failed, is closed rather than handed to the next request.
        client.release(broken);
      }
    },
  };
}

/** Transactions through Prisma: the embedded database (PGlite), which has no pg pool. */
export function prismaTransactions(prisma: PrismaClient, options: TransactionOptions = {}): Transactions {
  const settings = { maxWait: options.maxWaitMs ?? 10_000, timeout: options.timeoutMs ?? 20_000 };
  return {
    run: (work) => prisma.$transaction((tx) => work(prismaRunner(tx)), settings),
  };
}

/** A pooled connection; the pool's connect timeout bounds the wait (storms queue here). */
async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw new DatabaseUnavailable(`no database connection: ${(error as Error).message}`, { cause: error });
  }
}
