/**
 * GraphQL Code Generator's schema source (codegen.yml): the schema exactly as the server builds
 * it with type-graphql. It runs compiled (`npm run codegen` builds first) because type-graphql
 * needs the decorator metadata that `tsc` emits.
 */
import type { GraphQLSchema } from 'graphql';
import { buildOrderGateSchema } from '../src/graphql/schema';

/** Codegen calls a custom loader with the schema pointer, which names nothing to read here. */
export = function loadOrderGateSchema(): Promise<GraphQLSchema> {
  return buildOrderGateSchema();
};
