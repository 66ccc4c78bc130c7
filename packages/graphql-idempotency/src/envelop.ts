import type { Plugin } from '@envelop/core';
import type { GraphQLSchema } from 'graphql';
import type { GuardSchemaOptions } from './schema';
import { guardSchema } from './schema';

/**
 * The envelop plugin (GraphQL Yoga, or any envelop server): guards the schema's mutations named in
 * `policies` or marked `@idempotent`, whenever the schema is set.
 */
export function useIdempotency<TContext = unknown>(options: GuardSchemaOptions<TContext>): Plugin {
  return {
    onSchemaChange({ schema }) {
      // envelop types the schema loosely (any); its servers hand a graphql-js schema.
      guardSchema(schema as GraphQLSchema, options);
    },
  };
}
