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
    .describe(
      'Cost of an operation: the rows its answer may hold, each page at its largest (a scalar field 0, an object 1 per row it is in, a list that many times its rows; docs/http.md).',
    ),
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
  /** Rows an operation's answer may hold, pages at their largest (src/hardening/query-cost.ts). Default 5 000. */
  maxCost: number;
  /** Lexer tokens per document; parsing stops beyond it. Default 1 000. */
  maxTokens: number;
}
