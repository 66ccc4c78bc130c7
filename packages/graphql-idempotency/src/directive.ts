import { DirectiveLocation, GraphQLDirective, GraphQLError, GraphQLString, valueFromAST } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';
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

/** The key of an `@idempotent(key:)` directive on the field being resolved (variables resolved), if any. */
export function directiveKeyOf(info: GraphQLResolveInfo): string | undefined {
  const directive = info.fieldNodes[0]?.directives?.find((node) => node.name.value === 'idempotent');
  const argument = directive?.arguments?.find((node) => node.name.value === 'key');
  if (!argument) return undefined;
  const value: unknown = valueFromAST(argument.value, GraphQLString, info.variableValues);
  return typeof value === 'string' ? value : undefined;
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
    throw new GraphQLError('The @idempotent(key:) directive and the key argument differ.', {
      extensions: { code: IDEMPOTENCY_KEY_MISMATCH },
    });
  }
  return fromDirective;
}
