import { DirectiveLocation, GraphQLDirective, GraphQLError, GraphQLString, valueFromAST } from 'graphql';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { IDEMPOTENCY_KEY_MISMATCH } from './error-codes';
import { keyArgumentOf } from './policy';

/**
 * `@idempotent`: on a schema's field definition it marks a mutation as guarded (schema-first
 * servers); on a field of an operation it carries the client's key, as Shopify's Admin API takes it:
 * `mutation { refundCreate(…) @idempotent(key: "…") { … } }`.
 */
export const IDEMPOTENT_DIRECTIVE_SDL = 'directive @idempotent(key: String) on FIELD | FIELD_DEFINITION';

/** The same directive as an object, for code-first schemas (`buildSchema({ directives: [...] })`). */
export const idempotentDirective = new GraphQLDirective({
  name: 'idempotent',
  description:
    'Marks a mutation as idempotent (on its definition), or carries the idempotency key (on an operation field).',
  locations: [DirectiveLocation.FIELD, DirectiveLocation.FIELD_DEFINITION],
  args: { key: { type: GraphQLString, description: 'The idempotency key of this call.' } },
});

/**
 * The key of an `@idempotent(key:)` directive on the field being resolved (variables resolved), if
 * any. A field asked twice under one response key (`a: f … a: f …`) is resolved once, from all its
 * nodes: graphql's validation refuses two different key arguments there, not two different
 * directives, so those are refused here rather than one of them being ignored.
 */
export function directiveKeyOf(info: GraphQLResolveInfo): string | undefined {
  let key: string | undefined;
  for (const node of info.fieldNodes) {
    const nodeKey = nodeDirectiveKeyOf(node, info);
    if (nodeKey === undefined) continue;
    if (key !== undefined && key !== nodeKey)
      throw keyMismatch('The field is asked twice with different @idempotent(key:) directives.');
    key = nodeKey;
  }
  return key;
}

function nodeDirectiveKeyOf(node: FieldNode, info: GraphQLResolveInfo): string | undefined {
  const directive = node.directives?.find((candidate) => candidate.name.value === 'idempotent');
  const argument = directive?.arguments?.find((candidate) => candidate.name.value === 'key');
  if (!argument) return undefined;
  const value: unknown = valueFromAST(argument.value, GraphQLString, info.variableValues);
  return typeof value === 'string' ? value : undefined;
}

function keyMismatch(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: IDEMPOTENCY_KEY_MISMATCH } });
}

/**
 * The call's key: the directive's, else the policy's key argument. Both given and different is
 * `IDEMPOTENCY_KEY_MISMATCH`: a request whose parts contradict each other.
 */
export function idempotencyKeyOf(
  policy: { readonly keyArgument?: string },
  args: unknown,
  info: GraphQLResolveInfo,
): string {
  const fromDirective = directiveKeyOf(info);
  const fromArgument = keyArgumentOf(policy, args);
  if (fromDirective === undefined) return fromArgument;
  if (fromArgument !== '' && fromArgument !== fromDirective) {
    throw keyMismatch('The @idempotent(key:) directive and the key argument differ.');
  }
  return fromDirective;
}
