import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema, ParseOptions, ValidationRule } from 'graphql';
import { ApolloServerPluginIdempotentDirective } from 'graphql-idempotency/apollo';
import type { Logger } from '../observability/logger';
import { apolloLoggerOf } from './apollo-logger';
import type { GraphQLContext } from './context';
import { errorLoggingPlugin, maskUnexpectedError } from './error-masking';
import { ApolloServerPluginNullVariables } from './null-variable.plugin';
import { ApolloServerPluginResponseStatus } from './response-status.plugin';
import { rootOperationTypeRule } from './root-operation-rule';

/** Options of the Apollo server. */
export interface ApolloOptions {
  schema: GraphQLSchema;
  /** The app's logger: Apollo's own lines go to it too (apollo-logger.ts). */
  logger: Logger;
  /** Allow introspection (Sandbox, codegen). */
  introspection: boolean;
  /** Leave "Did you mean …?" suggestions out of validation errors (production: they leak the schema). */
  hideSchemaDetails?: boolean;
  /** Parser options, e.g. `maxTokens` (see src/hardening/). */
  parseOptions?: ParseOptions;
  /** Validation rules added to graphql's own (depth, aliases, cost). */
  validationRules?: ValidationRule[];
  /** Plugins of the HTTP layer (drain, landing page, headers, logging). */
  plugins?: ApolloServerPlugin<GraphQLContext>[];
}

export function createApolloServer(options: ApolloOptions): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    schema: options.schema,
    logger: apolloLoggerOf(options.logger),
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: options.hideSchemaDetails ?? false,
    formatError: maskUnexpectedError,
    // Browsers may send "simple" requests cross-site without asking: Apollo refuses GETs and
    // POSTs that carry neither a JSON content type nor an `apollo-require-preflight` /
    // `x-apollo-operation-name` header, so another site cannot make a logged-in browser act.
    csrfPrevention: true,
    // One operation per HTTP request: an array body gets a 400, so batching cannot multiply
    // the cost of one request past the limits below.
    allowBatchedHttpRequests: false,
    parseOptions: options.parseOptions,
    // A subscription is refused at validation: the schema has no subscription type to run it on.
    validationRules: [rootOperationTypeRule, ...(options.validationRules ?? [])],
    // The response status (200 for request errors in application/json, 503 for an outage) is
    // decided from the formatted errors, so it comes with the server, not with the HTTP layer.
    // `@idempotent(key:)` on a field no guard runs for (upsertProduct, a query) is refused with
    // IDEMPOTENCY_KEY_NOT_SUPPORTED (400): its key would be ignored and the field run on every call.
    // A variable sent as null where a non-null value is required is refused before execution
    // (BAD_USER_INPUT), which graphql-js would raise mid-execution as an uncoded error.
    plugins: [
      errorLoggingPlugin(options.logger),
      ApolloServerPluginResponseStatus(),
      ApolloServerPluginNullVariables(),
      ApolloServerPluginIdempotentDirective<GraphQLContext>(),
      ...(options.plugins ?? []),
    ],
    // main.ts handles SIGTERM/SIGINT (drain, then close the database and Redis). Apollo's own
    // handler would call stop() first, and Apollo 5.5 never resolves a second, concurrent stop()
    // call: the shutdown would hang and the connections would never close. (Its handlers, on by
    // default outside NODE_ENV=test, also re-raise the signal into main's, which ignores repeats.)
    stopOnTerminationSignals: false,
  });
}
