import type pg from 'pg';

/** Where a dropped connection is reported (a logger's warn, or nothing). */
export type DroppedConnectionReporter = (error: Error) => void;

/**
 * Keeps a connection that PostgreSQL drops (a session terminated by an operator or a failover,
 * a server restart) from ending the process.
 *
 * pg reports a dropped connection as an 'error' event on its client, and an 'error' event with no
 * listener is an uncaught exception. pg-pool listens on idle clients only and removes its listener
 * when it hands a client out, trusting the caller to add one. Awaiting `pool.connect()` leaves a gap
 * that no caller can close: the client is handed over while pg parses one network chunk, and when
 * that chunk also carries the server's FATAL (ReadyForQuery, then 57P01 for a session terminated
 * just after it started) the event is emitted before the caller's code runs again. Seen here as
 * server processes exiting at session terminations (the soak, the lifecycle fault tests); reported
 * upstream as brianc/node-postgres#2762.
 *
 * So every client of the pool gets a listener of its own for its whole life, added when pg-pool
 * announces the new connection ('connect', before it hands the client to anyone). The listener
 * only reports: the client's queries fail on their own, and the pool discards a client that is no
 * longer queryable when it comes back.
 */
export function survivingDroppedConnections(
  pool: pg.Pool,
  report: DroppedConnectionReporter = () => undefined,
): pg.Pool {
  // An idle client's loss is emitted on the pool too (pg-pool's idle listener).
  pool.on('error', report);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
