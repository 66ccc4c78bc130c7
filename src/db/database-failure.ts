/**
 * Every way the database can fail a request, and the answer each gets: the one place that reads
 * SQLSTATEs, driver messages and Prisma codes. GraphQL (error-masking.ts) and REST
 * (channels/channel-answers.ts) both answer from here; the order transaction runner
 * (transactions.ts) retries from here; docs/http.md's table is rendered from here
 * (test/db/failures/database-failure-docs.test.ts keeps them equal).
 */

import { CONNECTION_LOST_CODES, networkFailureOf, UNREACHABLE_CODES } from '../platform/network-errors';

/** A kind of database failure, as the metric label, the log line and the docs name it. */
export type DatabaseFailureClass =
  | 'statement_timeout'
  | 'lock_timeout'
  | 'serialization_failure'
  | 'deadlock'
  | 'read_only'
  | 'too_many_connections'
  | 'shutdown'
  | 'disk_full'
  | 'connection_lost'
  | 'unreachable'
  | 'pool_exhausted'
  | 'replication_wait';

/** What a class means for the request. */
export interface DatabaseFailureAnswer {
  /** HTTP status of the answer (GraphQL: with no data; REST: the problem document's). */
  status: 503;
  /** `extensions.code` (GraphQL) and `code` (REST problem). */
  code: 'SERVICE_UNAVAILABLE';
  /** Retry hint (ms): `extensions.retryAfterMs`, and `Retry-After` in whole seconds, rounded up. */
  retryAfterMs: number;
  /** Retried inside the server in a fresh transaction before it is answered (bounded, see transactions.ts). */
  retriedInServer: boolean;
  /** What the database reports, for the docs. */
  signals: string;
  /** Why this answer, for the docs. */
  why: string;
}

/** A failure as it was recognised: its class, the SQLSTATE when the server sent one, the answer. */
export interface DatabaseFailure {
  class: DatabaseFailureClass;
  sqlState: string | undefined;
  answer: DatabaseFailureAnswer;
}

/** The retry hint of most classes: a stuck row, a restart or a failover clear within seconds. */
export const DATABASE_RETRY_AFTER_MS = 1_000;

const unavailable = (
  signals: string,
  why: string,
  options: { retryAfterMs?: number; retriedInServer?: boolean } = {},
): DatabaseFailureAnswer => ({
  status: 503,
  code: 'SERVICE_UNAVAILABLE',
  retryAfterMs: options.retryAfterMs ?? DATABASE_RETRY_AFTER_MS,
  retriedInServer: options.retriedInServer ?? false,
  signals,
  why,
});

/**
 * The answer of each class. None is the request's fault (no 4xx), and none establishes what a union
 * member says (RequestInProgress means another request holds this key; a stuck row does not tell
 * that): each is an outage of the database, answered 503 and retried by the client with the same
 * idempotency key, which can never create a second order.
 */
export const DATABASE_FAILURE_ANSWERS: Readonly<Record<DatabaseFailureClass, DatabaseFailureAnswer>> = {
  statement_timeout: unavailable(
    '57014',
    'A statement ran past ORDER_TRANSACTION_BUDGET_MS (a stuck row, an overloaded server): rolled back, nothing written.',
  ),
  lock_timeout: unavailable(
    '55P03',
    'A row lock (a product, the key) was held by another session past the budget: rolled back, nothing written.',
  ),
  serialization_failure: unavailable(
    '40001',
    'Rolled back by the server; safe to run again: retried in a fresh transaction, answered only when the attempts run out.',
    { retriedInServer: true },
  ),
  deadlock: unavailable(
    '40P01',
    'Rolled back by the deadlock detector; retried in a fresh transaction, answered only when the attempts run out.',
    { retriedInServer: true },
  ),
  read_only: unavailable(
    '25006',
    'The write reached a read-only primary (demoted, or read-only by setting): the primary is elsewhere or coming back.',
  ),
  too_many_connections: unavailable('53300', 'The server has no connection slot left for a new pooled connection.'),
  shutdown: unavailable(
    '57P01, 57P02, 57P03',
    'The session was terminated (pg_terminate_backend, a server stopping or crashing) or the server is starting up.',
  ),
  disk_full: unavailable(
    '53100',
    'The server cannot write: nothing was committed. An operator must act, so the hint is longer.',
    { retryAfterMs: 5_000 },
  ),
  connection_lost: unavailable(
    `class 08, ${CONNECTION_LOST_CODES.join(', ')}, "Connection terminated unexpectedly", Prisma P1017`,
    'The connection broke: PostgreSQL rolls back an open transaction whose session ends; if it broke during COMMIT, the retry with the same key finds the order.',
  ),
  unreachable: unavailable(
    `${UNREACHABLE_CODES.join(', ')}, "Connection terminated due to connection timeout", Prisma P1001/P1002/P1008; a new connection the server refused (55000 connections not allowed, 3D000 no such database, 28000/28P01 login refused)`,
    'No new connection could be opened (the server is down or failing over).',
  ),
  pool_exhausted: unavailable(
    '"timeout exceeded when trying to connect" (pg pool), Prisma P2024 / transaction start timeout',
    'Every pooled connection stayed busy for the whole ORDER_TRANSACTION_BUDGET_MS: the server is saturated.',
  ),
  replication_wait: unavailable(
    'WARNING "canceling wait for synchronous replication" at COMMIT',
    'The commit waited past the budget for a synchronous standby: committed locally but not confirmed. The retry with the same key answers with that order.',
  ),
};

const CLASS_OF_SQLSTATE: Readonly<Record<string, DatabaseFailureClass>> = {
  '57014': 'statement_timeout',
  '55P03': 'lock_timeout',
  '40001': 'serialization_failure',
  '40P01': 'deadlock',
  '25006': 'read_only',
  '53300': 'too_many_connections',
  '57P01': 'shutdown',
  '57P02': 'shutdown',
  '57P03': 'shutdown',
  '53100': 'disk_full',
};

/** Prisma error codes (model queries, `$transaction`). */
const CLASS_OF_PRISMA_CODE: Readonly<Record<string, DatabaseFailureClass>> = {
  P1001: 'unreachable',
  P1002: 'unreachable',
  P1008: 'unreachable',
  P1017: 'connection_lost',
  P2024: 'pool_exhausted',
};

/** The driver adapter's error kinds (`meta.driverAdapterError.cause.kind`). */
const CLASS_OF_ADAPTER_KIND: Readonly<Record<string, DatabaseFailureClass>> = {
  DatabaseNotReachable: 'unreachable',
  ConnectionClosed: 'connection_lost',
  SocketTimeout: 'unreachable',
  TooManyConnections: 'too_many_connections',
  // Refusals of a new connection (3D000, 28000, 28P01): the database was dropped or renamed, or the
  // role lost its right to log in. An operator must act, but for the request it is an outage.
  DatabaseDoesNotExist: 'unreachable',
  DatabaseAccessDenied: 'unreachable',
  AuthenticationFailed: 'unreachable',
};

/** A SQLSTATE: five digits or capitals, one digit at least (EPIPE, EPERM are socket codes). */
const SQLSTATE = /^(?=[A-Z]*[0-9])[0-9A-Z]{5}$/;

/** node-postgres and pg-pool raise these without a code. */
const CLASS_OF_DRIVER_MESSAGE: readonly [RegExp, DatabaseFailureClass][] = [
  // pg-pool: waited in the pool's queue for connectionTimeoutMillis, every connection busy.
  [/^timeout exceeded when trying to connect$/, 'pool_exhausted'],
  // pg-pool: a new connection was not up in time.
  [/^Connection terminated due to connection timeout$/, 'unreachable'],
  [
    /^(Connection terminated( unexpectedly)?|Client has encountered a connection error and is not queryable)$/,
    'connection_lost',
  ],
];

/** Prisma's own wait for a pooled connection to start a transaction (`maxWait`) ran out (P2028). */
const TRANSACTION_START_TIMEOUT = /Unable to start a transaction in the given time/;

/**
 * Raised by the order transaction runner for what the driver does not report as an error: a
 * COMMIT that returned only after the budget cancelled its wait for a synchronous standby.
 */
export class ReplicationWaitCancelled extends Error {
  override name = 'ReplicationWaitCancelled';

  /** `sqlState`: the SQLSTATE of the server's WARNING (01000), for the metric and the log. */
  constructor(
    message: string,
    readonly sqlState: string | undefined,
  ) {
    super(message);
  }
}

/** The order transaction's pool had no connection in time (down, or every connection busy). */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

interface ErrorFacts {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  thrownValue?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } };
}

/**
 * The database failure `error` (or an error it wraps) stands for, or undefined for anything else
 * (a defect, a constraint we did not expect, a bug): those stay masked 500s.
 */
export function classifyDatabaseFailure(error: unknown): DatabaseFailure | undefined {
  let current: unknown = error;
  let refusedConnection = false;
  let sqlState: string | undefined;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const facts = current as ErrorFacts;
    const found = recognise(facts);
    if (found) return { ...found, answer: DATABASE_FAILURE_ANSWERS[found.class] };
    refusedConnection ||= current instanceof DatabaseUnavailable;
    if (typeof facts.code === 'string' && SQLSTATE.test(facts.code)) sqlState ??= facts.code;
    // graphql-js wraps a thrown value that is not an Error of its own realm (jest's vm sandbox
    // sees Node's socket errors that way) in NonErrorThrown, keeping it as `thrownValue`.
    current = facts.cause ?? facts.thrownValue;
  }
  // The pool could not open a connection for a reason no class above names (the server refused it:
  // 55000 the database does not allow connections, 3D000 it is gone, 28000 the role may not log
  // in): no transaction began, so it is an outage like any unreachable server, not a defect.
  if (refusedConnection) return { class: 'unreachable', sqlState, answer: DATABASE_FAILURE_ANSWERS.unreachable };
  return undefined;
}

function recognise(error: ErrorFacts): Omit<DatabaseFailure, 'answer'> | undefined {
  if (error instanceof ReplicationWaitCancelled) return { class: 'replication_wait', sqlState: error.sqlState };
  const { code, message } = error;
  if (typeof code === 'string') {
    const byCode = classOfSqlState(code) ?? CLASS_OF_PRISMA_CODE[code] ?? networkFailureOf(code);
    if (byCode) return { class: byCode, sqlState: classOfSqlState(code) ? code : undefined };
    if (code === 'P2028' && typeof message === 'string' && TRANSACTION_START_TIMEOUT.test(message))
      return { class: 'pool_exhausted', sqlState: undefined };
  }
  const adapterCause = error.meta?.driverAdapterError?.cause;
  if (adapterCause) {
    const sqlState = adapterCause.originalCode ?? adapterCause.code;
    if (typeof sqlState === 'string' && classOfSqlState(sqlState))
      return { class: classOfSqlState(sqlState)!, sqlState };
    const byKind = typeof adapterCause.kind === 'string' ? CLASS_OF_ADAPTER_KIND[adapterCause.kind] : undefined;
    if (byKind) return { class: byKind, sqlState: undefined };
  }
  if (code !== undefined || typeof message !== 'string') return undefined;
  const byMessage = CLASS_OF_DRIVER_MESSAGE.find(([pattern]) => pattern.test(message));
  return byMessage && { class: byMessage[1], sqlState: undefined };
}

function classOfSqlState(code: string): DatabaseFailureClass | undefined {
  // Class 08: connection exception (the connection failed or broke).
  return CLASS_OF_SQLSTATE[code] ?? (/^08[0-9A-Z]{3}$/.test(code) ? 'connection_lost' : undefined);
}

/** `Retry-After` of an answer: whole seconds, rounded up, at least 1. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** docs/http.md's table of failure classes, rendered from DATABASE_FAILURE_ANSWERS. */
export function databaseFailureTable(): string {
  const rows = Object.entries(DATABASE_FAILURE_ANSWERS).map(
    ([name, answer]) =>
      `| \`${name}\` | ${answer.signals} | ${answer.status} \`${answer.code}\`, Retry-After ${retryAfterSeconds(answer.retryAfterMs)} s | ${answer.retriedInServer ? 'yes' : 'no'} | ${answer.why} |`,
  );
  return [
    '| Class | What the database reports | Answer | Retried in the server | Why |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
