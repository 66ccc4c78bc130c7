import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { GraphQLFormattedError } from 'graphql';
import { classifyDatabaseFailure } from '../db/database-failure';
import type { Logger } from '../observability/logger';
import { currentRequestId, loggerOfCurrentRequest } from '../observability/request-id-scope';
import type { GraphQLContext } from './context';

const INTERNAL = 'INTERNAL_SERVER_ERROR';
const APOLLO_INTROSPECTION_REFUSAL = 'GraphQL introspection is not allowed by Apollo Server';
// True in every environment: development with GRAPHQL_INTROSPECTION=false refuses it too.
const INTROSPECTION_REFUSAL =
  'GraphQL introspection is not allowed on this server: GRAPHQL_INTROSPECTION=true turns it on (it is on by default, except with NODE_ENV=production).';

/**
 * Apollo's formatError: anything unexpected reaches the client without message details, stack or
 * SQL. A database failure (refused, lost, stuck, read-only, full: db/database-failure.ts) is an
 * outage, not a bug: its answer's code (SERVICE_UNAVAILABLE) with a retry hint, retryable with
 * the same idempotency key; the response-status plugin makes it a 503 with Retry-After.
 * Everything else is a bare INTERNAL_SERVER_ERROR. Both carry the request's id for the client to
 * quote; it is read from the request's scope, since Apollo also formats answers it builds without a
 * context (the context function or a plugin hook threw). Errors we raise on purpose carry their own
 * stable code and pass through.
 */
export function maskUnexpectedError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  // Apollo's refusal tells the reader to pass `introspection: true` to ApolloServer; here the knob is a variable.
  if (code === 'GRAPHQL_VALIDATION_FAILED' && formatted.message.startsWith(APOLLO_INTROSPECTION_REFUSAL))
    return { ...formatted, message: INTROSPECTION_REFUSAL };
  if (code !== undefined && code !== INTERNAL) return formatted;
  if (isApolloClientRefusal(error)) return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
  const path = formatted.path ? { path: formatted.path } : {};
  const requestId = currentRequestId();
  const quoted = requestId === undefined ? {} : { requestId };
  const failure = classifyDatabaseFailure(unwrapResolverError(error));
  if (failure) {
    return {
      message: 'The database is unavailable. Retry with the same idempotency key after retryAfterMs.',
      ...path,
      extensions: { code: failure.answer.code, retryAfterMs: failure.answer.retryAfterMs, ...quoted },
    };
  }
  return { message: 'Internal server error.', ...path, extensions: { code: INTERNAL, ...quoted } };
}

/**
 * A refusal Apollo raises itself, before anything runs, with a 4xx status of its own but no code:
 * a persisted query whose `sha256Hash` does not match its `query` ("provided sha does not match
 * query"), or a `persistedQuery` extension of another version or not an object ("Unsupported
 * persisted query version"). The client's mistake, not a defect: BAD_REQUEST with Apollo's
 * message, its status kept, not logged as an error. (Apollo's own codes, PERSISTED_QUERY_NOT_FOUND
 * and the like, pass through as any coded error.)
 */
function isApolloClientRefusal(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions['code'] !== undefined) return false;
  const status = (error.extensions['http'] as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Logs each unexpected error with its request id and stack (a database outage as a warning: it is
 * not a defect). Besides the operation's own errors, the faults Apollo answers with a bare 500
 * before or around the operation: the context function threw (Apollo logs nothing of it), or a
 * plugin hook did (Apollo logs its message alone, without the stack, as a line of its own).
 */
export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async contextCreationDidFail({ error }) {
      // No context yet: the request id comes from the request's scope (the HTTP layer's).
      if (!isExpected(error)) loggerOfCurrentRequest(logger).error({ err: error }, 'context creation failed');
    },
    async unexpectedErrorProcessingRequest({ requestContext, error }) {
      const details = { err: error, operationName: requestContext.operationName };
      requestContext.contextValue.logger.error(details, 'unexpected error processing request');
    },
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            if (isExpected(error)) continue;
            const cause = error.originalError ?? error;
            const details = { err: cause, operationName, path: error.path };
            const failure = classifyDatabaseFailure(cause);
            if (failure) {
              const named = { ...details, databaseFailure: failure.class, sqlState: failure.sqlState };
              contextValue.logger.warn(named, 'database unavailable');
            } else contextValue.logger.error(details, 'unexpected error');
          }
        },
      };
    },
  };
}

/** An error raised on purpose (a code of its own) or a client's mistake Apollo refuses: no defect to log. */
function isExpected(error: unknown): boolean {
  const code = error instanceof GraphQLError ? error.extensions['code'] : undefined;
  return (code !== undefined && code !== INTERNAL) || isApolloClientRefusal(error);
}

/**
 * True when `error` (or an error it wraps) is a database failure (db/database-failure.ts): an
 * outage worth a retry, as opposed to a defect.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classifyDatabaseFailure(error) !== undefined;
}
