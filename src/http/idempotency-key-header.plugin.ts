import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, valueFromASTUntyped } from 'graphql';
import type { DocumentNode, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { GraphQLContext } from '../graphql/context';
import { idempotencyKeyProblem } from '../idempotency/idempotency-key';
import { DuplicateDetected, RequestInProgress } from '../orders/create-order-outcomes.type';

/** The mutation field whose `idempotencyKey` argument the header must equal. */
const IDEMPOTENT_FIELD = 'createOrder';
const KEY_ARGUMENT = 'idempotencyKey';

/**
 * The `Idempotency-Key` HTTP header (IETF draft-ietf-httpapi-idempotency-key-header), checked after
 * the operation is parsed and validated and before any resolver runs:
 *
 * - absent: nothing to check (the `idempotencyKey` argument is what the server uses);
 * - present but not a valid key: `BAD_IDEMPOTENCY_KEY`, HTTP 400 (the draft's answer to a
 *   malformed request);
 * - valid but different from a `createOrder` `idempotencyKey` argument (variables and their
 *   defaults resolved): `IDEMPOTENCY_KEY_MISMATCH`, HTTP 422 (a well-formed request whose parts
 *   contradict each other, as the draft answers a key reused with another payload).
 *
 * The header may be sent bare (`abc-123…`, as Stripe clients do) or as the draft's structured-field
 * string (`"abc-123…"`). On the way out, an answer whose every `createOrder` result is a replay
 * (DuplicateDetected) carries `Idempotent-Replayed: true`, and a RequestInProgress answer carries
 * `Retry-After` in whole seconds, rounded up (the exact hint stays in `retryAfterMs`). The HTTP
 * status of those answers stays 200: they are union members of a GraphQL response, not errors.
 */
export function ApolloServerPluginIdempotencyKeyHeader(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      const results: unknown[] = [];
      return {
        async didResolveOperation({ request, document, operation }) {
          const header = request.http?.headers.get('idempotency-key');
          if (header === undefined || header === null || !operation) return;
          const key = unquoteStructuredString(header);
          if (idempotencyKeyProblem(key)) throw badKey();
          const variables = { ...defaultVariables(operation), ...request.variables };
          for (const argument of idempotencyKeyArguments(operation, document, variables)) {
            if (typeof argument === 'string' && argument !== key) throw mismatch();
          }
        },
        async executionDidStart() {
          return {
            willResolveField({ info }) {
              if (info.path.prev !== undefined || info.fieldName !== IDEMPOTENT_FIELD) return;
              return (error, result) => {
                if (!error) results.push(result);
              };
            },
          };
        },
        async willSendResponse({ response }) {
          if (results.length > 0 && results.every((result) => result instanceof DuplicateDetected)) {
            response.http.headers.set('idempotent-replayed', 'true');
          }
          const retryAfterMs = Math.max(0, ...results.map((result) => (result instanceof RequestInProgress ? result.retryAfterMs : 0)));
          if (retryAfterMs > 0) response.http.headers.set('retry-after', String(Math.ceil(retryAfterMs / 1000)));
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

function mismatch(): GraphQLError {
  return new GraphQLError('The Idempotency-Key header differs from the idempotencyKey argument of createOrder.', {
    extensions: { code: 'IDEMPOTENCY_KEY_MISMATCH', http: { status: 422 } },
  });
}

/** `"abc"` → `abc`: the draft's sf-string form. Valid keys contain no `"` or `\`, so no unescaping is needed. */
function unquoteStructuredString(value: string): string {
  const trimmed = value.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

function defaultVariables(operation: OperationDefinitionNode): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  return defaults;
}

/** Every `idempotencyKey` argument of a top-level `createOrder`, through inline fragments and fragment spreads. */
function idempotencyKeyArguments(operation: OperationDefinitionNode, document: DocumentNode, variables: Record<string, unknown>): unknown[] {
  if (operation.operation !== 'mutation') return [];
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const found: unknown[] = [];
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
      } else if (selection.name.value === IDEMPOTENT_FIELD) {
        const argument = selection.arguments?.find((candidate) => candidate.name.value === KEY_ARGUMENT);
        if (argument) found.push(valueFromASTUntyped(argument.value, variables));
      }
    }
  };
  walk(operation.selectionSet);
  return found;
}
