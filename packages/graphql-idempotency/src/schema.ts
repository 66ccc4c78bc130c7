import { defaultFieldResolver, isInterfaceType, isObjectType } from 'graphql';
import type { GraphQLField, GraphQLFieldConfig, GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { idempotencyKeyOf } from './directive';
import { IDEMPOTENT_FIELD_EXTENSION, markGuardedField, markGuardedResolver, wrappingOptionsOf } from './directive-rule';
import type { IdempotencyRequest } from './events';
import type { IdempotencyGuard } from './guard';
import type { IdempotencyPolicy } from './policy';
import { replayPolicy } from './replay-policy';
import { refuseSharedOperations } from './shared-operation';

type AnyPolicy = IdempotencyPolicy<never, never, unknown>;

/** Which mutations a schema-first server guards, and how. */
export interface GuardSchemaOptions<TContext> {
  guard: IdempotencyGuard;
  /** Policies by mutation field name. A field marked `@idempotent` in the SDL without one gets `replayPolicy`. */
  policies?: Record<string, AnyPolicy>;
  /** The key's owner for the default replay policy (a user or tenant id from the context). Default: one shared space. */
  scope?(context: TContext): string;
}

/**
 * Wraps the resolvers of the guarded mutation fields of `schema` in place: those named in
 * `policies`, and those whose definition carries `@idempotent`. Wrapping twice with the same
 * options is a no-op; with other options it throws (one schema object takes one guard). Only these
 * fields then accept an operation's `@idempotent(key:)` (IdempotentDirectiveRule). Throws when
 * `@idempotent` marks a field that is no mutation, `policies` names a mutation the schema lacks, or
 * two guarded mutations' policies share one operation (one key space: a key of one answers the other).
 */
export function guardSchema<TContext>(schema: GraphQLSchema, options: GuardSchemaOptions<TContext>): GraphQLSchema {
  refuseUnguardable(schema, options);
  const mutation = schema.getMutationType();
  if (!mutation) return schema;
  const scope = (context: TContext) => options.scope?.(context) ?? '';
  const guarded: [GraphQLField<unknown, unknown>, AnyPolicy][] = [];
  for (const field of Object.values(mutation.getFields())) {
    const policy: AnyPolicy | undefined =
      options.policies?.[field.name] ?? (isMarked(field) ? replayPolicy<TContext>(field.name, { scope }) : undefined);
    // Every field checked before any is wrapped: a refusal leaves the schema as it was.
    if (policy && !isGuardedAlready(mutation.name, field, options)) guarded.push([field, policy]);
  }
  refuseSharedOperations(
    'guardSchema',
    guarded.map(([field, policy]) => [`${mutation.name}.${field.name}`, policy.operation]),
  );
  for (const [field, policy] of guarded) {
    markGuardedField(field, options);
    field.resolve = guardedResolver(options.guard, policy, field.resolve ?? defaultFieldResolver);
  }
  return schema;
}

/**
 * Whether these options wrapped the field already (a server that sets its schema up again: a
 * no-op). Other options (a second server on the same schema object, with its own guard and scope)
 * would be silently ignored, the first ones' answering its calls: refused instead.
 */
function isGuardedAlready(type: string, field: GraphQLField<unknown, unknown>, options: object): boolean {
  const wrappedWith = wrappingOptionsOf(field);
  if (wrappedWith === undefined) return false;
  if (wrappedWith === options) return true;
  throw new Error(
    `guardSchema: ${type}.${field.name} is guarded already, by another guardSchema, useIdempotency or ApolloServerPluginIdempotency: one schema object takes one guard (build a schema per server).`,
  );
}

function isMarked(field: GraphQLField<unknown, unknown>): boolean {
  return field.astNode?.directives?.some((directive) => directive.name.value === 'idempotent') ?? false;
}

/**
 * Only the Mutation type's fields are guarded. A query or subscription field marked `@idempotent`,
 * or a policy named after a mutation the schema lacks (a typo), would be left unguarded with nothing
 * said: the server refuses to start instead, naming the field.
 */
function refuseUnguardable(schema: GraphQLSchema, options: GuardSchemaOptions<never>): void {
  const mutation = schema.getMutationType();
  const mutations = mutation?.getFields() ?? {};
  for (const name of Object.keys(options.policies ?? {})) {
    if (mutations[name]) continue;
    const known = Object.keys(mutations).join(', ') || 'none';
    throw new Error(`guardSchema: policies.${name} is no field of the Mutation type (its fields: ${known}).`);
  }
  refuseGuardsOffMutations(schema);
}

/**
 * Throws, naming the field, when `@idempotent` (SDL) or type-graphql's `@Idempotent` marks a field of
 * another type than Mutation: a query's first answer would be served to every later call with its
 * key, or the mark would do nothing.
 */
export function refuseGuardsOffMutations(schema: GraphQLSchema): void {
  const mutation = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type === mutation || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (isMarked(field))
        throw new Error(`guardSchema: ${notMutationMessage('@idempotent', `${type.name}.${field.name}`)}`);
      if (field.extensions[IDEMPOTENT_FIELD_EXTENSION] === true)
        throw new Error(notMutationMessage('@Idempotent', `${type.name}.${field.name}`));
    }
  }
}

/** Why a guard mark on `field` (Type.field) is refused. */
export function notMutationMessage(mark: string, field: string): string {
  return `${mark} marks ${field}, but only fields of the Mutation type are guarded.`;
}

/** A resolver that runs `resolve` under the guard with `policy`. */
export function guardedResolver(
  guard: IdempotencyGuard,
  policy: AnyPolicy,
  resolve: GraphQLFieldResolver<unknown, unknown>,
): NonNullable<GraphQLFieldConfig<unknown, unknown>['resolve']> {
  const anyPolicy = policy as IdempotencyPolicy<Record<string, unknown>, IdempotencyRequest, unknown>;
  const guarded: NonNullable<GraphQLFieldConfig<unknown, unknown>['resolve']> = (
    source,
    args: Record<string, unknown>,
    context: unknown,
    info,
  ) =>
    guard.run(
      anyPolicy,
      args,
      context as IdempotencyRequest,
      async (): Promise<unknown> => resolve(source, args, context, info),
      idempotencyKeyOf(anyPolicy, args, info),
    );
  markGuardedResolver(guarded);
  return guarded;
}
