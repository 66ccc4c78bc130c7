import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { IdempotencyRequest } from './events';
import { ResponseReplayCache } from './response-replay-cache';
import type { ResponseReplayOptions, StoredResponseAnswer } from './response-replay-cache';

export type { ResponseReplayOptions, StoredReplay, StoredResponseAnswer } from './response-replay-cache';

/** The plugin, and a way to drop every stored response at once (when the live parts changed). */
export interface ResponseReplayPlugin<TContext extends BaseContext> extends ApolloServerPlugin<TContext> {
  clear(): void;
  /** A stored response, as the plugin itself answers it (for a server that sends it again itself). */
  answer: StoredResponseAnswer<TContext>;
}

/**
 * The response-level replay for Apollo Server (response-replay-cache.ts says what it replays and
 * when): a stored response is sent from `responseForOperation`, before execution, and a repeat's
 * response is stored as it is sent.
 */
export function ApolloServerPluginResponseReplay<TContext extends BaseContext>(
  options: ResponseReplayOptions<TContext>,
): ResponseReplayPlugin<TContext> {
  const responses = new ResponseReplayCache(options);
  return {
    clear: () => responses.clear(),
    answer: (key, context, expected) => responses.answer(key, context, expected),
    async requestDidStart() {
      if (options.ttlMs <= 0) return;
      let storeAs: string | undefined;
      let replayed = false;
      return {
        async responseForOperation(request) {
          storeAs = responses.keyOf(
            {
              operation: request.operation,
              document: request.queryHash,
              operationName: request.operationName,
              variables: request.request.variables,
            },
            request.contextValue,
          );
          const data = storeAs === undefined ? undefined : await responses.answer(storeAs, request.contextValue);
          if (!data) return null;
          replayed = true;
          return {
            // The response's own head, as it stands: Apollo Server copies a plugin's status and
            // headers into it, and a replay adds none. A head of our own would need @apollo/server's
            // HeaderMap at run time, and an ES module application would load its CommonJS copy for it.
            http: request.response.http,
            body: { kind: 'single', singleResult: { data } },
          };
        },
        async willSendResponse({ response, contextValue }) {
          if (replayed || storeAs === undefined || response.body.kind !== 'single') return;
          if ((response.http.status ?? 200) !== 200) return;
          responses.remember(
            storeAs,
            response.body.singleResult,
            (contextValue as IdempotencyRequest).idempotencyDecisions,
          );
        },
      };
    },
  };
}
