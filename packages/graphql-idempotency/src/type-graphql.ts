import { Extensions, createMethodMiddlewareDecorator, createParameterDecorator } from 'type-graphql';
import type { ContainerType } from 'type-graphql';
import { idempotencyKeyOf } from './directive';
import { IDEMPOTENT_FIELD_EXTENSION } from './directive-rule';
import { notMutationMessage } from './schema';
import { checkOperationOwner } from './shared-operation';
import type { IdempotencyRequest } from './events';
import type { IdempotencyGuard } from './guard';
import type { GuardedAttempt, IdempotencyPolicy, PreparedRequest } from './policy';
import { withAbstractReplays } from './type-graphql-replay';

/** What the decorator needs from the GraphQL context. */
export interface IdempotencyContext extends IdempotencyRequest {
  idempotencyGuard: IdempotencyGuard;
  /** The server's instances, where policy classes are looked up (type-graphql's ContainerType). */
  container?: ContainerType;
}

type AnyPolicy = IdempotencyPolicy<never, never, unknown, PreparedRequest>;

/** A policy class: its instance comes from the context's container, so a policy gets its services by constructor. */
export interface IdempotencyPolicyClass {
  new (...dependencies: never[]): AnyPolicy;
  /** The name of the field's argument that carries the key, when not `idempotencyKey`. */
  readonly keyArgument?: string;
}

/** Idempotent fields by name, with their key argument (what an HTTP layer checks an `Idempotency-Key` header against). */
const idempotentFields = new Map<string, string>();

/** Every field marked `@Idempotent`, with the name of its key argument. */
export function idempotentFieldKeyArguments(): ReadonlyMap<string, string> {
  return idempotentFields;
}

/** The attempt the guard let run, for the resolver's `@Guarded()` parameter (keyed by the field's raw arguments). */
const attempts = new WeakMap<object, GuardedAttempt>();

/**
 * Makes a mutation idempotent: the key (its argument, or an `@idempotent(key:)` directive) is
 * validated and claimed before the resolver runs, repeats are answered without running it, and its
 * outcome is recorded after. The resolver receives what the guard prepared through `@Guarded()`.
 * The field is marked guarded (a field extension), so IdempotentDirectiveRule accepts its directive.
 */
export function Idempotent(policy: IdempotencyPolicyClass | AnyPolicy): MethodDecorator {
  const guard = createMethodMiddlewareDecorator<IdempotencyContext>(async (resolverData, next) => {
    const { args, context, info } = resolverData;
    // Only mutations are guarded (a server whose plugin checks the schema refuses to start, see
    // refuseGuardsOffMutations): any other field fails rather than answering every call with its first.
    if (info.parentType !== info.schema.getMutationType())
      throw new Error(notMutationMessage('@Idempotent', `${info.parentType.name}.${info.fieldName}`));
    const instance = withAbstractReplays(
      (typeof policy === 'function'
        ? await containerOf(context).get(policy, resolverData)
        : policy) as IdempotencyPolicy<unknown, IdempotencyContext, unknown>,
      info,
    );
    // A policy class is known only once the container gives it: checked as its field first runs.
    checkOperationOwner('@Idempotent', info.schema, `${info.parentType.name}.${info.fieldName}`, instance.operation);
    const key = idempotencyKeyOf(instance, args, info);
    return guardOf(context).run<unknown, IdempotencyContext, unknown, PreparedRequest>(
      instance,
      args,
      context,
      (attempt) => {
        attempts.set(args, attempt);
        return Promise.resolve<unknown>(next());
      },
      key,
    );
  });
  return (target, propertyKey, descriptor) => {
    idempotentFields.set(String(propertyKey), policy.keyArgument ?? 'idempotencyKey');
    Extensions({ [IDEMPOTENT_FIELD_EXTENSION]: true })(target, propertyKey, descriptor);
    return guard(target, propertyKey, descriptor);
  };
}

/** The resolver parameter that receives the guard's prepared request (parsed and fingerprinted once). */
export function Guarded(): ReturnType<typeof createParameterDecorator> {
  return createParameterDecorator(({ args }) => {
    const attempt = attempts.get(args);
    if (!attempt) throw new Error('@Guarded() needs @Idempotent() on the same field.');
    return attempt;
  });
}

function guardOf(context: IdempotencyContext): IdempotencyGuard {
  // Plain JavaScript, or a context typed loosely, reaches here without one: say what is missing.
  if (!context.idempotencyGuard)
    throw new Error('@Idempotent needs the IdempotencyGuard in the GraphQL context, as `idempotencyGuard`.');
  return context.idempotencyGuard;
}

function containerOf(context: IdempotencyContext): ContainerType {
  if (!context.container) throw new Error('@Idempotent(PolicyClass) needs a `container` in the GraphQL context.');
  return context.container;
}
