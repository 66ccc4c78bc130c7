import { getNamedType, isAbstractType } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { IdempotencyPolicy } from './policy';

/**
 * Where a remembered result of a union or interface field keeps its object type's name (GraphQL's
 * own name for it, so that a schema-first reader of the same record understands it too).
 */
const TYPENAME = '__typename';

type AnyPolicy = IdempotencyPolicy<unknown, never, unknown>;

/** Each policy's restoring twin, made once: container policies are singletons. */
const restoringPolicies = new WeakMap<object, AnyPolicy>();

/**
 * The policy of an `@Idempotent` field, such that its repeats resolve as its first call did.
 * A remembered result reaches a repeat through JSON (Redis) as a plain object, and type-graphql
 * finds a union's or interface's member by `instanceof` its class: such a repeat would fail with
 * "Cannot resolve type for union …". So for a field of an abstract type (or a list of one), a result
 * the policy remembers as its replay (replayPolicy) keeps its object type's name, and the repeat's
 * plain object gets that class back (its prototype: getters and methods too). Only the result's top
 * level (a list's items) is restored: a union nested in it is the policy's to answer. Any other
 * field's policy is returned as it is (type-graphql itself converts a plain object to the class of an
 * object type's field).
 */
export function withAbstractReplays<TPolicy extends AnyPolicy>(policy: TPolicy, info: GraphQLResolveInfo): TPolicy {
  if (!isAbstractType(getNamedType(info.returnType))) return policy;
  let restoring = restoringPolicies.get(policy);
  if (!restoring) restoringPolicies.set(policy, (restoring = restoringTwin(policy)));
  return restoring as TPolicy;
}

/**
 * A policy that calls `policy` for everything (its methods on itself: a class's private fields,
 * a frozen object work as they do), naming the remembered result and restoring the replayed one.
 */
function restoringTwin(policy: AnyPolicy): AnyPolicy {
  const twin: AnyPolicy = {
    operation: policy.operation,
    prepare: (args, context, key) => policy.prepare(args, context, key),
    findCommitted: (scope, context) => policy.findCommitted(scope, context),
    outcomeOf(result, attempt) {
      const outcome = policy.outcomeOf(result, attempt);
      const { resource } = outcome;
      // Only a replay that is the result itself (replayPolicy's): another is the policy's own record.
      if (!resource || resource.replay !== result || result === null || typeof result !== 'object') return outcome;
      return { ...outcome, resource: { ...resource, replay: named(result) } };
    },
    async answer(answer, context) {
      return restored(await policy.answer(answer, context));
    },
  };
  if (policy.answerMetadata) twin.answerMetadata = (result) => policy.answerMetadata?.(result);
  if (policy.admit)
    twin.admit = async (scope, context, args) => {
      await policy.admit?.(scope, context, args);
    };
  const options = twin as { -readonly [K in 'keyArgument' | 'leaseMs' | 'retentionMs']?: AnyPolicy[K] };
  if (policy.keyArgument !== undefined) options.keyArgument = policy.keyArgument;
  if (policy.leaseMs !== undefined) options.leaseMs = policy.leaseMs;
  if (policy.retentionMs !== undefined) options.retentionMs = policy.retentionMs;
  return twin;
}

/** The result's own fields with its object type's name, for a list each item's; anything else unchanged. */
function named(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(named);
  if (value === null || typeof value !== 'object') return value;
  const name = objectTypes().byPrototype(Object.getPrototypeOf(value));
  return name === undefined ? value : { ...value, [TYPENAME]: name };
}

/** A remembered result with its class back (by the name `named` kept); anything else unchanged. */
function restored(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restored);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const { [TYPENAME]: name, ...fields } = value as Record<string, unknown>;
  const target = typeof name === 'string' ? objectTypes().byName.get(name) : undefined;
  return target ? Object.assign(Object.create(target.prototype as object) as object, fields) : value;
}

interface ObjectTypeIndex {
  /** type-graphql's object types seen when the index was made (it is made again when more are registered). */
  size: number;
  byName: Map<string, { prototype: unknown }>;
  names: WeakMap<object, string>;
  /** The object type name of an instance's class, or of its nearest registered ancestor. */
  byPrototype(prototype: unknown): string | undefined;
}

let index: ObjectTypeIndex | undefined;

/** type-graphql's object types by name and by class, read once (again when more are registered). */
function objectTypes(): ObjectTypeIndex {
  const { objectTypes: registered } = getMetadataStorage();
  if (index?.size === registered.length) return index;
  const names = new WeakMap<object, string>();
  const byName = new Map<string, { prototype: unknown }>();
  for (const type of registered) {
    byName.set(type.name, type.target);
    names.set(type.target.prototype as object, type.name);
  }
  const byPrototype = (start: unknown): string | undefined => {
    for (let prototype = start; prototype; prototype = Object.getPrototypeOf(prototype)) {
      const name = names.get(prototype);
      if (name !== undefined) return name;
    }
    return undefined;
  };
  index = { size: registered.length, byName, names, byPrototype };
  return index;
}
