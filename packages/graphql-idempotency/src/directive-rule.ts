import { GraphQLError, validate } from 'graphql';
import type { ASTVisitor, DocumentNode, GraphQLField, GraphQLSchema, ValidationContext } from 'graphql';
import { IDEMPOTENCY_KEY_NOT_SUPPORTED } from './error-codes';

/**
 * The field extension type-graphql's `@Idempotent` sets, for a schema built from decorators: the
 * guard runs inside that field's resolver, and nothing else tells the schema so.
 */
export const IDEMPOTENT_FIELD_EXTENSION = 'idempotent';

/** Fields whose resolver guardSchema wrapped (the field objects of the schema it was given), with its options. */
const guardedBySchema = new WeakMap<object, object>();
/**
 * Resolvers guardedResolver made, for a schema whose resolver map uses it directly (its field
 * objects do not exist yet). A server that wraps resolvers again later hides these, not the above.
 */
const guardedResolvers = new WeakSet<object>();

/** Records a resolver that runs the guard. */
export function markGuardedResolver(resolve: object): void {
  guardedResolvers.add(resolve);
}

/** Records that guardSchema wrapped this field's resolver, with these options. */
export function markGuardedField(field: GraphQLField<unknown, unknown>, options: object): void {
  guardedBySchema.set(field, options);
}

/** The options guardSchema wrapped this field's resolver with; undefined when it did not. */
export function wrappingOptionsOf(field: GraphQLField<unknown, unknown>): object | undefined {
  return guardedBySchema.get(field);
}

/** Whether a guard runs for this field: guardSchema or guardedResolver made its resolver, or type-graphql's `@Idempotent` marked it. */
export function isGuardedField(field: GraphQLField<unknown, unknown>): boolean {
  return (
    guardedBySchema.has(field) ||
    (field.resolve !== undefined && guardedResolvers.has(field.resolve)) ||
    field.extensions?.[IDEMPOTENT_FIELD_EXTENSION] === true
  );
}

/**
 * A validation rule: `@idempotent(key:)` is accepted only on a field a guard runs for. Used by
 * `useIdempotency` (envelop, Yoga) and `ApolloServerPluginIdempotency`; add it to your server's
 * validation rules yourself with guardSchema alone or with type-graphql. Meaningful once the
 * schema is guarded (guardSchema ran).
 */
export function IdempotentDirectiveRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (!node.directives?.some((directive) => directive.name.value === 'idempotent')) return;
      const field = context.getFieldDef();
      const parent = context.getParentType();
      // An unknown field is reported by graphql's own rules.
      if (!field || !parent || isGuardedField(field)) return;
      const name = `${parent.name}.${field.name}`;
      context.reportError(
        new GraphQLError(
          `@idempotent(key:) is not supported on ${name}: no idempotency guard runs for that field, so its key would be ignored.`,
          { nodes: node, extensions: { code: IDEMPOTENCY_KEY_NOT_SUPPORTED, field: name } },
        ),
      );
    },
  };
}

/**
 * The rule's errors for one document (empty when it is fine), for servers whose plugins cannot add
 * validation rules (Apollo Server). A document whose text never names the directive is not walked.
 */
export function idempotentDirectiveErrors(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
  const text = document.loc?.source.body;
  if (text !== undefined && !text.includes('idempotent')) return [];
  return validate(schema, document, [IdempotentDirectiveRule]);
}
