import type { ClaimScope } from './claim-store';
import type { IdempotencyRequest } from './events';
import { NULL_ANSWER } from './policy';
import type { GuardedAttempt, IdempotencyPolicy, PreparedRequest } from './policy';

/** The state of one guarded request, passed between the guard's steps. */
export interface Attempt<TContext, TPrepared extends PreparedRequest> {
  policy: IdempotencyPolicy<unknown, TContext, unknown, TPrepared>;
  context: TContext & IdempotencyRequest;
  args: unknown;
  startedAt: number;
  key: string;
  requestId: string;
  prepared?: TPrepared;
  scope?: ClaimScope;
}

/** The resolver's work, run once the guard lets the request through. */
export type Execute<TPrepared extends PreparedRequest, TResult> = (
  attempt: GuardedAttempt<TPrepared>,
) => Promise<TResult>;

/** What the resolver is told of a prepared attempt it runs: `claim` says how the store took part. */
export function guardedAttempt<TContext, TPrepared extends PreparedRequest>(
  attempt: Attempt<TContext, TPrepared>,
  claim: GuardedAttempt['claim'],
): GuardedAttempt<TPrepared> {
  return {
    prepared: attempt.prepared!,
    scope: attempt.scope!,
    claim,
    requestId: attempt.requestId,
    startedAt: attempt.startedAt,
  };
}

/** A policy's answer as the resolver's result: NULL_ANSWER is null. */
export function resultOf<TResult>(answer: unknown): TResult {
  return (answer === NULL_ANSWER ? null : answer) as TResult;
}
