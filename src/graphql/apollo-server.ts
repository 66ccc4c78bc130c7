import { ApolloServer } from '@apollo/server';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context';
import { errorLoggingPlugin, maskUnexpectedError } from './error-masking';

/** Options of the Apollo server. */
export interface ApolloOptions {
  schema: GraphQLSchema;
  /** Allow introspection (Sandbox, codegen). */
  introspection: boolean;
  /** Lifecycle plugins of the HTTP layer (drain). */
  plugins?: ApolloServerPlugin<GraphQLContext>[];
}

export function createApolloServer(options: ApolloOptions): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    schema: options.schema,
    introspection: options.introspection,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedError,
    plugins: [errorLoggingPlugin(), ...(options.plugins ?? [])],
    // main.ts handles SIGTERM/SIGINT (drain, then close the database and Redis). Apollo's own
    // handler would call stop() first, and Apollo 5.5 never resolves a second, concurrent stop()
    // call: the shutdown would hang and the connections would never close. (Its handlers, on by
    // default outside NODE_ENV=test, also re-raise the signal into main's, which ignores repeats.)
    stopOnTerminationSignals: false,
  });
}
