import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError } from 'graphql';
import type { ParseOptions, ValidationContext, ValidationRule } from 'graphql';
import type { GraphQLLimits } from '../config/config';
import { queryCostRule } from './query-cost';

/** What Apollo needs to enforce the limits: parser options and extra validation rules. */
export interface OperationLimits {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
}

// graphql-armor's rules throw by default, which aborts validation; reporting instead makes each
// breach an ordinary validation error (HTTP 400, GRAPHQL_VALIDATION_FAILED) listed with the others.
// Its messages open with "Syntax Error: ", which a well-formed operation over a limit is not: the
// prefix is left out, the rest (which limit, what was found) kept.
const report = (context: ValidationContext | null, error: GraphQLError) =>
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { nodes: error.nodes }));
const asValidationError = { propagateOnRejection: false, onReject: [report] };

/**
 * Depth and alias limits (graphql-armor validation rules), the cost limit (query-cost.ts: the rows
 * an answer may hold, where graphql-armor's counted scalars ×`first` and ignored a variable
 * `first`) and a token limit (graphql 16's parser stops at `maxTokens`, before building a huge
 * AST). All run before any resolver.
 * Depth flattens fragments, so `... on OrderCreated { order { id } }` is two levels, not three.
 */
export function operationLimits(limits: GraphQLLimits): OperationLimits {
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [
      maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...asValidationError }),
      maxAliasesRule({ n: limits.maxAliases, ...asValidationError }),
      queryCostRule(limits.maxCost),
    ],
  };
}
