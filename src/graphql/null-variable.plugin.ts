import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, isNonNullType, TypeInfo, ValidationContext } from 'graphql';
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';

/**
 * A variable sent as an explicit `null` where the operation uses it in a non-null position
 * (`mutation($k: String = "x") { createOrder(idempotencyKey: $k …) }` with `{"k": null}`) is the
 * client's mistake, refused before anything runs: BAD_USER_INPUT, a GraphQL request error like
 * any variable that does not coerce (200 in application/json, 400 in graphql-response+json, by
 * the response-status plugin), not logged.
 *
 * Why here: validation allows the operation (a variable with a default may stand where a non-null
 * value is required), and the variables coerce (its own type is nullable); graphql-js refuses the
 * null only while executing, with an error of its own raised in the middle of a field or of
 * collecting the selection, without a code, which the masking could not tell from a defect.
 * Telling the two apart by that error's message would hang on graphql-js's wording; this check
 * reads the positions from the schema instead: every use of the operation's variables, in its
 * fragments too, with the input type expected there (arguments, directive arguments, input-object
 * fields, list items), as graphql's own VariablesInAllowedPosition rule finds them. A field the
 * operation skips (`@skip`) is refused as well: the operation is wrong whichever way it runs.
 */
export function ApolloServerPluginNullVariables(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // Apollo resolves an operation before this hook: `operation` is set.
          if (!operation) return;
          const error = nullInNonNullPosition(schema, document, operation, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}

/** The refusal of the first variable sent as null where a non-null value is required, or undefined. */
export function nullInNonNullPosition(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): GraphQLError | undefined {
  if (!variables) return undefined;
  const sentNull = new Set(Object.keys(variables).filter((name) => variables[name] === null));
  if (sentNull.size === 0) return undefined;
  const context = new ValidationContext(schema, document, new TypeInfo(schema), () => undefined);
  for (const { node, type } of context.getRecursiveVariableUsages(operation)) {
    const name = node.name.value;
    if (!sentNull.has(name) || !type || !isNonNullType(type)) continue;
    return new GraphQLError(
      `Variable "$${name}" got invalid value null; it is used where a non-null "${String(type)}" is required` +
        ': send a value, or leave the variable out to use its default.',
      { nodes: [node], extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } },
    );
  }
  return undefined;
}
