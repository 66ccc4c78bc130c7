import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { decisionsOf, idempotencyHeaders } from './events';
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
      const decisions = decisionsOf(contextValue);
      return {
        async willSendResponse({ response }) {
          for (const [name, value] of idempotencyHeaders(decisions)) response.http.headers.set(name, value);
        },
      };
    },
  };
}

export { ApolloServerPluginResponseReplay } from './response-replay';
export type {
  ResponseReplayOptions,
  ResponseReplayPlugin,
  StoredReplay,
  StoredResponseAnswer,
} from './response-replay';
