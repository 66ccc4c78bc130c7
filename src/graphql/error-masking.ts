import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { DatabaseUnavailable } from '../db/transactions';
import type { GraphQLContext } from './context';

const INTERNAL = 'INTERNAL_SERVER_ERROR';
const UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/**
 * The retry hint given with SERVICE_UNAVAILABLE (ms; `extensions.retryAfterMs`, and `Retry-After`
 * in whole seconds). A restart or a failover takes seconds; clients back off further on their own.
 */
export const DATABASE_RETRY_AFTER_MS = 1_000;

/**
 * Apollo's formatError: anything unexpected reaches the client without message details, stack or
 * SQL. A database that cannot be reached (refused, lost, or no pooled connection in time) is an
 * outage, not a bug: SERVICE_UNAVAILABLE with a retry hint, retryable with the same idempotency
 * key. Everything else is a bare INTERNAL_SERVER_ERROR. Errors we raise on purpose carry their own
 * stable code and pass through.
 */
export function maskUnexpectedError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  if (code !== undefined && code !== INTERNAL) return formatted;
  const path = formatted.path ? { path: formatted.path } : {};
  if (isDatabaseUnavailable(unwrapResolverError(error))) {
    return {
      message: 'The database is unavailable. Retry with the same idempotency key after retryAfterMs.',
      ...path,
      extensions: { code: UNAVAILABLE, retryAfterMs: DATABASE_RETRY_AFTER_MS },
    };
  }
  return { message: 'Internal server error.', ...path, extensions: { code: INTERNAL } };
}

/**
 * Logs each unexpected error with its request id (a database outage as a warning: it is not a
 * defect), and gives that id to the client to quote.
 */
export function errorLoggingPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.['code'];
            if (code !== undefined && code !== INTERNAL) continue;
            const cause = error.originalError ?? error;
            const details = { err: cause, operationName, path: error.path };
            if (isDatabaseUnavailable(cause)) contextValue.logger.warn(details, 'database unavailable');
            else contextValue.logger.error(details, 'unexpected error');
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            error.extensions?.['code'] === INTERNAL || error.extensions?.['code'] === UNAVAILABLE
              ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
              : error,
          );
        },
      };
    },
  };
}

// What an unreachable PostgreSQL looks like through Prisma 7's pg driver adapter (see
// test/graphql/error-masking.test.ts, which provokes each of them for real).

/** Prisma error codes: can't reach (P1001), timed out reaching (P1002), socket timeout (P1008), closed (P1017), pool timeout (P2024). */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** The driver adapter's error kinds (`meta.driverAdapterError.cause.kind`). */
const UNAVAILABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/**
 * SQLSTATEs: 57P01 admin shutdown (a terminated session, a server stopping), 57P02 crash shutdown,
 * 57P03 cannot connect now (starting up, or a standby being promoted), 53300 too many
 * connections, 25006 read-only transaction (a write reached a demoted primary: the primary is
 * elsewhere now). Class 08 (connection exception) is matched as a class.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '25006']);
/** Socket errors of the connection itself. */
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/**
 * node-postgres raises these without a code: the server went away mid-query, or a new connection
 * (pool `connectionTimeoutMillis`) was not up in time.
 */
const UNAVAILABLE_PG_MESSAGES =
  /^(Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)$/;
/** Prisma's own wait for a pooled connection to start a transaction (`maxWait`) ran out. */
const TRANSACTION_START_TIMEOUT = /Unable to start a transaction in the given time/;

interface ErrorFacts {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } };
}

/**
 * True when `error` (or an error it wraps) says the database could not be reached or the
 * connection was lost: a transient outage worth a retry, as opposed to a defect.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const facts = current as ErrorFacts;
    if (saysUnavailable(facts)) return true;
    // graphql-js wraps a thrown value that is not an Error of its own realm (jest's vm sandbox
    // sees Node's socket errors that way) in NonErrorThrown, keeping it as `thrownValue`.
    current = facts.cause ?? (current as { thrownValue?: unknown }).thrownValue;
  }
  return false;
}

function saysUnavailable(error: ErrorFacts): boolean {
  // The order transaction's own pool could not hand out a connection (db/transactions.ts).
  if (error instanceof DatabaseUnavailable) return true;
  const { code, message } = error;
  if (typeof code === 'string') {
    if (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code) || isUnavailableSqlState(code))
      return true;
    if (code === 'P2028' && typeof message === 'string' && TRANSACTION_START_TIMEOUT.test(message)) return true;
  }
  const adapterCause = error.meta?.driverAdapterError?.cause;
  if (adapterCause) {
    if (typeof adapterCause.kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(adapterCause.kind)) return true;
    const sqlState = adapterCause.originalCode ?? adapterCause.code;
    if (typeof sqlState === 'string' && isUnavailableSqlState(sqlState)) return true;
  }
  return code === undefined && typeof message === 'string' && UNAVAILABLE_PG_MESSAGES.test(message);
}

function isUnavailableSqlState(code: string): boolean {
  return UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}
