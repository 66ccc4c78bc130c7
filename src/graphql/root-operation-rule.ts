import { GraphQLError } from 'graphql';
import type { ValidationRule } from 'graphql';

/**
 * Refuses an operation whose type the schema has no root for (a `subscription`: this API has none)
 * as a validation error (GRAPHQL_VALIDATION_FAILED). graphql-js's own rules let it through (they
 * look fields up on a root type that is not there, and find nothing to complain of), and execution
 * then fails with "Schema is not configured to execute subscription operation.", an execution
 * error that reached the client as a masked INTERNAL_SERVER_ERROR, logged as a defect.
 */
export const rootOperationTypeRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (context.getSchema().getRootType(node.operation)) return;
    context.reportError(
      new GraphQLError(`This API has no ${node.operation} operations: send a query or a mutation.`, { nodes: node }),
    );
  },
});
