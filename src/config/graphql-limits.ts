import { wholeNumber } from './numeric-variables';
import { booleanFlag } from './words';

/** Introspection and the limits on one operation's shape, checked before execution (src/hardening). */
export const graphqlEnvironment = {
  GRAPHQL_INTROSPECTION: booleanFlag
    .optional()
    .describe('Answer introspection. Default: on, except with NODE_ENV=production.'),
  GRAPHQL_MAX_DEPTH: wholeNumber({ min: 1 })
    .default(10)
    .describe(
      'Deepest field nesting of an operation; an introspection query (`__schema`) is not counted (graphql-armor’s default; GRAPHQL_INTROSPECTION turns introspection off, and GRAPHQL_MAX_TOKENS bounds every operation).',
    ),
  GRAPHQL_MAX_ALIASES: wholeNumber({ min: 0 })
    .default(15)
    .describe('Aliased fields per operation; aliases of `__typename` are not counted (graphql-armor’s default).'),
  GRAPHQL_MAX_COST: wholeNumber({ min: 1 })
    .default(5_000)
    .describe('graphql-armor cost of an operation (objects 2, scalars 1, ×1.5 per level).'),
  GRAPHQL_MAX_TOKENS: wholeNumber({ min: 1 })
    .default(1_000)
    .describe('Lexer tokens per document; parsing stops beyond.'),
};

/** Limits on the shape of one GraphQL operation. */
export interface GraphQLLimits {
  /** Deepest field nesting (fragments flattened). Default 10. */
  maxDepth: number;
  /** Aliased fields per operation. Default 15. */
  maxAliases: number;
  /** graphql-armor cost (objects 2, scalars 1, ×1.5 per level). Default 5 000. */
  maxCost: number;
  /** Lexer tokens per document; parsing stops beyond it. Default 1 000. */
  maxTokens: number;
}
