import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { IdempotencyEvent } from './events';
import type { GuardSchemaOptions } from './schema';
import { guardSchema } from './schema';

/**
 * The Apollo Server plugin: guards the schema's mutations named in `policies` or marked
 * `@idempotent` in the SDL (declare `IDEMPOTENT_DIRECTIVE_SDL` in your type definitions), and sets
 * the HTTP headers of the IETF draft and Stripe: `Idempotent-Replayed: true` when every guarded
 * field of the answer was a repeat, `Retry-After` (seconds) when one was in progress.
 */
export function ApolloServerPluginIdempotency<TContext extends BaseContext>(
  options: GuardSchemaOptions<TContext>,
): ApolloServerPlugin<TContext> {
  return {
    async serverWillStart({ schema }) {
      guardSchema(schema, options);
    },
    async requestDidStart({ contextValue }) {
      const context = contextValue as { idempotencyDecisions?: IdempotencyEvent[] };
      context.idempotencyDecisions ??= [];
      const decisions = context.idempotencyDecisions;
      return {
        async willSendResponse({ response }) {
          if (decisions.length > 0 && decisions.every((decision) => decision.outcome === 'duplicate'))
            response.http.headers.set('idempotent-replayed', 'true');
          const retryAfterMs = Math.max(0, ...decisions.map((decision) => decision.retryAfterMs ?? 0));
          if (retryAfterMs > 0) response.http.headers.set('retry-after', String(Math.ceil(retryAfterMs / 1000)));
        },
      };
    },
  };
}

export { ApolloServerPluginResponseReplay } from './response-replay';
export type { ResponseReplayOptions, ResponseReplayPlugin } from './response-replay';
