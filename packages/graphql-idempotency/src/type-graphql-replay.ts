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
  const restoring: Pick<AnyPolicy, 'outcomeOf' | 'answer'> = {
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
  // The policy's other members (and a policy class's methods) through its prototype chain.
  return Object.assign(Object.create(policy) as TPolicy, restoring);
}

/** The result's own fields with its object type's name, for a list each item's; anything else unchanged. */
function named(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(named);
  if (value === null || typeof value !== 'object') return value;
  const name = objectTypeOf(value)?.name;
  return name === undefined ? value : { ...value, [TYPENAME]: name };
}

/** A remembered result with its class back (by the name `named` kept); anything else unchanged. */
function restored(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(restored);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const { [TYPENAME]: name, ...fields } = value as Record<string, unknown>;
  const target = getMetadataStorage().objectTypes.find((type) => type.name === name)?.target;
  return target ? Object.assign(Object.create(target.prototype as object) as object, fields) : value;
}

/** The type-graphql object type of an instance: its class's, or the nearest registered ancestor's. */
function objectTypeOf(value: object) {
  const { objectTypes } = getMetadataStorage();
  for (let prototype: unknown = Object.getPrototypeOf(value); prototype; prototype = Object.getPrototypeOf(prototype)) {
    const found = objectTypes.find((type) => type.target.prototype === prototype);
    if (found) return found;
  }
  return undefined;
}
