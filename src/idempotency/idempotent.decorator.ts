import { createMethodMiddlewareDecorator, createParameterDecorator } from 'type-graphql';
import type { ContainerType } from 'type-graphql';
import type { IdempotencyRequest } from './idempotency-event';
import type { GuardedAttempt, IdempotencyGuard, IdempotencyPolicy, PreparedRequest } from './idempotency-guard';

/** What the decorator needs from the GraphQL context. */
export interface IdempotencyContext extends IdempotencyRequest {
  idempotencyGuard: IdempotencyGuard;
  /** The server's instances (resolvers and idempotency policies), built by its composition root. */
  container: ContainerType;
}

/** A policy class: instances come from the server's container, so policies get their services by constructor. */
export interface IdempotencyPolicyClass {
  new (...dependencies: never[]): IdempotencyPolicy<never, never, unknown, PreparedRequest>;
  /** The name of the field's argument that carries the idempotency key (the HTTP header must equal it). */
  readonly keyArgument: string;
}

/** Idempotent fields by name, with their key argument: what the HTTP layer checks the `Idempotency-Key` header against. */
const idempotentFields = new Map<string, string>();

/** Every field marked `@Idempotent`, with the name of its key argument. */
export function idempotentFieldKeyArguments(): ReadonlyMap<string, string> {
  return idempotentFields;
}

/** The attempt the guard let run, for the resolver's `@Guarded()` parameter (keyed by the field's raw arguments). */
const attempts = new WeakMap<object, GuardedAttempt>();

/**
 * Makes a mutation idempotent: the key is validated and claimed before the resolver runs, repeats
 * are answered without running it, and its outcome is recorded after. The resolver body stays
 * free of all of this; it receives what the guard prepared through `@Guarded()`.
 */
export function Idempotent(policyClass: IdempotencyPolicyClass): MethodDecorator {
  const guard = createMethodMiddlewareDecorator<IdempotencyContext>(async (resolverData, next) => {
    const { args, context } = resolverData;
    const policy = (await context.container.get(policyClass, resolverData)) as IdempotencyPolicy<
      unknown,
      IdempotencyContext,
      unknown
    >;
    return context.idempotencyGuard.run(policy, args, context, (attempt) => {
      attempts.set(args, attempt);
      return next() as Promise<unknown>;
    });
  });
  return (target, propertyKey, descriptor) => {
    idempotentFields.set(String(propertyKey), policyClass.keyArgument);
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
