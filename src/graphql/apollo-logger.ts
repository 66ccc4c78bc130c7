import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import type { Logger } from '../observability/logger';
import { loggerOfCurrentRequest } from '../observability/request-id-scope';

/** What Apollo Server logs through: one message per call, a string or an Error. */
export type ApolloLogger = NonNullable<ApolloServerOptions<BaseContext>['logger']>;

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Apollo Server's `logger` option over the app's: Apollo's own lines (a start that failed, an
 * operation during shutdown, a plugin hook that threw) come out as the app's JSON lines, with the
 * request's id when Apollo logs while serving one, instead of Apollo's default plain-text console.
 */
export function apolloLoggerOf(logger: Logger): ApolloLogger {
  // pino writes an Error under `err` (type, message, stack) with its message as the line's `msg`.
  const at =
    (level: Level) =>
    (message?: unknown): void =>
      loggerOfCurrentRequest(logger)[level](message);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
