import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, OperationTypeNode, valueFromASTUntyped } from 'graphql';
import type { DocumentNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { idempotencyKeyFromHeader, idempotencyKeyProblem } from 'graphql-idempotency';
import { idempotentFieldKeyArguments } from 'graphql-idempotency/type-graphql';

/**
 * The `Idempotency-Key` HTTP header (IETF draft-ietf-httpapi-idempotency-key-header), checked after
 * the operation is parsed and validated and before any resolver runs:
 *
 * - absent: nothing to check (the `idempotencyKey` argument is what the server uses);
 * - present but not a valid key: `BAD_IDEMPOTENCY_KEY`, HTTP 400 (the draft's answer to a
 *   malformed request);
 * - valid but different from the key of a top-level `@Idempotent` mutation field, given as its key
 *   argument (e.g. createOrder's `idempotencyKey`) or as its `@idempotent(key:)` directive
 *   (variables and their defaults resolved): `IDEMPOTENCY_KEY_MISMATCH`, HTTP 422 (a well-formed
 *   request whose parts contradict each other, as the draft answers a key reused with another payload).
 *
 * The header is never the key by itself: a field's key is its argument or directive, as for
 * createOrder, whose argument is required. A lifecycle mutation sent with the header alone answers
 * `InvalidIdempotencyKey` ("An idempotency key is required"), and nothing changes.
 *
 * The header may be sent bare (`abc-123…`, as Stripe clients do) or as the draft's structured-field
 * string (`"abc-123…"`). The response headers of the draft (`Idempotent-Replayed`, `Retry-After`)
 * are the package's ApolloServerPluginIdempotentDirective's, which every server of
 * createApolloServer has. The plugin knows no mutation by name: `@Idempotent` registers them.
 */
export function ApolloServerPluginIdempotencyKeyHeader(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          const header = request.http?.headers.get('idempotency-key');
          if (header === undefined || header === null || !operation) return;
          const key = idempotencyKeyFromHeader(header);
          if (idempotencyKeyProblem(key)) throw badKey();
          const variables = { ...defaultVariables(operation), ...request.variables };
          for (const argument of idempotencyKeyArguments(operation, document, variables)) {
            if (typeof argument.value === 'string' && argument.value !== key) throw mismatch(argument);
          }
        },
      };
    },
  };
}

function badKey(): GraphQLError {
  return new GraphQLError('The Idempotency-Key header must be 8 to 255 characters of A-Z a-z 0-9 and - _ . : only.', {
    extensions: { code: 'BAD_IDEMPOTENCY_KEY', http: { status: 400 } },
  });
}

/** Names the field and where its key came from, so the message fits any guarded mutation. */
function mismatch({ field, argument }: KeyArgument): GraphQLError {
  const given = argument === DIRECTIVE ? 'the @idempotent(key:) directive' : `the ${argument} argument`;
  return new GraphQLError(`The Idempotency-Key header differs from ${given} of ${field}.`, {
    extensions: { code: 'IDEMPOTENCY_KEY_MISMATCH', http: { status: 422 } },
  });
}

function defaultVariables(operation: OperationDefinitionNode): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue)
      defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return defaults;
}

/** How KeyArgument names a key given as the field's `@idempotent(key:)` directive. */
const DIRECTIVE = '@idempotent';

/** A key as the operation gives it: the field, the argument's name (or DIRECTIVE), and its value. */
interface KeyArgument {
  field: string;
  argument: string;
  value: unknown;
}

/**
 * Every key of a top-level `@Idempotent` field, as its argument or its `@idempotent(key:)` directive,
 * through inline fragments and fragment spreads.
 */
function idempotencyKeyArguments(
  operation: OperationDefinitionNode,
  document: DocumentNode,
  variables: Record<string, unknown>,
): KeyArgument[] {
  if (operation.operation !== OperationTypeNode.MUTATION) return [];
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const keyArguments = idempotentFieldKeyArguments();
  const found: KeyArgument[] = [];
  const visited = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !visited.has(fragment.name.value)) {
          visited.add(fragment.name.value);
          walk(fragment.selectionSet);
        }
      } else {
        const field = selection.name.value;
        const keyArgument = keyArguments.get(field);
        if (!keyArgument) continue;
        const argument = selection.arguments?.find((candidate) => candidate.name.value === keyArgument);
        if (argument)
          found.push({ field, argument: keyArgument, value: valueFromASTUntyped(argument.value, variables) });
        const directive = selection.directives?.find((candidate) => candidate.name.value === 'idempotent');
        const directiveKey = directive?.arguments?.find((candidate) => candidate.name.value === 'key');
        if (directiveKey)
          found.push({ field, argument: DIRECTIVE, value: valueFromASTUntyped(directiveKey.value, variables) });
      }
    }
  };
  walk(operation.selectionSet);
  return found;
}
