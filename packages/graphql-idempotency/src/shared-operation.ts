import type { GraphQLSchema } from 'graphql';

/**
 * Claims are scoped by their policy's `operation`, not by the field: two mutations whose policies
 * share one operation share one key space, and the second one's call with a key the first used is
 * answered with the first one's result without running. Refused, naming both fields.
 */
export function sharedOperationMessage(first: string, second: string, operation: string): string {
  return `${first} and ${second} share the policy operation "${operation}": a key of one would answer the other's calls. Give each mutation a policy of its own operation (e.g. replayPolicy('${second.split('.').pop() ?? second}', …)).`;
}

/** Throws (`owner: message`) when two of `fields` (Type.field and its policy's operation) share an operation. */
export function refuseSharedOperations(owner: string, fields: Iterable<[field: string, operation: string]>): void {
  const fieldOf = new Map<string, string>();
  for (const [field, operation] of fields) {
    const other = fieldOf.get(operation);
    if (other !== undefined && other !== field)
      throw new Error(`${owner}: ${sharedOperationMessage(other, field, operation)}`);
    fieldOf.set(operation, field);
  }
}

/** The field that first ran each operation, per schema (type-graphql's policies are known only once they run). */
const operationFields = new WeakMap<GraphQLSchema, Map<string, string>>();

/**
 * Throws when another field of `schema` ran under `operation` before: for policies resolved at run
 * time (type-graphql's policy classes, from the container), where no start-up check can see them.
 */
export function checkOperationOwner(owner: string, schema: GraphQLSchema, field: string, operation: string): void {
  let fields = operationFields.get(schema);
  if (!fields) operationFields.set(schema, (fields = new Map<string, string>()));
  const other = fields.get(operation);
  if (other === undefined) fields.set(operation, field);
  else if (other !== field) throw new Error(`${owner}: ${sharedOperationMessage(other, field, operation)}`);
}
