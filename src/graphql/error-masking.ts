import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GraphQLContext } from './context';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

/**
 * Apollo's formatError: anything unexpected (Prisma, Redis, a bug) reaches the client as a bare
 * INTERNAL_SERVER_ERROR: no message details, no stack, no SQL. Errors we raise on purpose carry
 * their own stable code and pass through.
 */
export function maskUnexpectedError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.['code'];
  if (code !== undefined && code !== INTERNAL) return formatted;
  return { message: 'Internal server error.', ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: INTERNAL } };
}

/** Logs each unexpected error with its request id, and gives that id to the client to quote. */
export function errorLoggingPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.['code'];
            if (code !== undefined && code !== INTERNAL) continue;
            contextValue.logger.error({ err: error.originalError ?? error, operationName, path: error.path }, 'unexpected error');
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            error.extensions?.['code'] === INTERNAL
              ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
              : error,
          );
        },
      };
    },
  };
}
