import { GraphQLError } from 'graphql';
import { fingerprintOf } from './fingerprint';
import type { ClaimScope } from './claim-store';
import { BAD_IDEMPOTENCY_KEY, IDEMPOTENCY_CONCURRENT_REQUEST, IDEMPOTENCY_KEY_PARAMETER_MISMATCH } from './error-codes';
import { checkMs } from './guard-options';
import { NULL_ANSWER } from './policy';
import type { GuardAnswer, IdempotencyPolicy, SettledResource } from './policy';

/** Options of a policy that remembers the resolver's result itself. */
export interface ReplayPolicyOptions<TContext> {
  /** Who owns the key (a user or tenant id from the context); '' for one shared key space. */
  scope(context: TContext): string;
  /** The argument that carries the key when no `@idempotent(key:)` directive does. Default `idempotencyKey`. */
  keyArgument?: string;
  /** Lease and retention of this operation's claims (ms); default the guard's. */
  leaseMs?: number;
  retentionMs?: number;
  /**
   * The arbiter: what your database committed for this key (its result as `replay`), so that a repeat
   * is still answered when the store was down. Without it the store alone remembers: while it is
   * down every call runs, repeats included. Calls racing before one commits all run either way.
   */
  findCommitted?(scope: ClaimScope, context: TContext): Promise<SettledResource | null>;
}

/**
 * The simplest policy: the resolver's result (a JSON value) is what the key remembers, and repeats
 * get it back. The fingerprint covers every argument but the key. A reused key, a key in progress
 * and a malformed key are GraphQL errors with Shopify's codes. A resolver that throws is never
 * remembered.
 */
export function replayPolicy<TContext = unknown>(
  operation: string,
  options: ReplayPolicyOptions<TContext>,
): IdempotencyPolicy<Record<string, unknown>, TContext, unknown> {
  const keyArgument = options.keyArgument ?? 'idempotencyKey';
  // As the guard's own (checkGuardOptions): Redis refuses anything else, and the guard would run unclaimed.
  for (const name of ['leaseMs', 'retentionMs'] as const)
    if (options[name] !== undefined)
      checkMs(`replayPolicy('${operation}')`, name, options[name], { integer: true, min: 1 });
  return {
    operation,
    keyArgument,
    leaseMs: options.leaseMs,
    retentionMs: options.retentionMs,
    prepare(args, context) {
      const { [keyArgument]: _key, ...payload } = args;
      return {
        scope: options.scope(context),
        fingerprint: fingerprintOf(payload),
      };
    },
    outcomeOf(result, attempt) {
      const { fingerprint } = attempt.prepared;
      const resourceId = `${attempt.scope.operation}:${attempt.scope.key}`;
      // A resolver that returns nothing answers null: remembered as null, what its repeats get.
      const replay = result ?? null;
      return { outcome: 'created', resource: { resourceId, fingerprint, firstSeenAt: new Date(), replay } };
    },
    findCommitted: (scope, context) => options.findCommitted?.(scope, context) ?? Promise.resolve(null),
    answer: answerWithErrors,
  };
}

/**
 * The generic answers: the remembered result for a repeat, GraphQL errors with stable codes
 * otherwise. A repeat whose record keeps no result (a findCommitted row without `replay`) is
 * answered null, as a resource that is gone: the request runs again.
 */
export function answerWithErrors(answer: GuardAnswer): unknown {
  switch (answer.outcome) {
    case 'duplicate': {
      const { replay } = answer.resource;
      return replay === null ? NULL_ANSWER : (replay ?? null);
    }
    case 'reused':
      throw new GraphQLError('This idempotency key was already used with different parameters.', {
        extensions: { code: IDEMPOTENCY_KEY_PARAMETER_MISMATCH, idempotencyKey: answer.scope.key },
      });
    case 'in_progress':
      throw new GraphQLError('A request with this idempotency key is still running; retry later.', {
        extensions: { code: IDEMPOTENCY_CONCURRENT_REQUEST, retryAfterMs: answer.retryAfterMs },
      });
    case 'invalid_key':
      throw new GraphQLError(answer.message, { extensions: { code: BAD_IDEMPOTENCY_KEY } });
  }
}
