import { createMethodMiddlewareDecorator } from 'type-graphql';
import type { IdempotencyRequest } from './idempotency-event';
import type { IdempotencyGuard, IdempotencyPolicy } from './idempotency-guard';

/** What the decorator needs from the GraphQL context. */
export interface IdempotencyContext extends IdempotencyRequest {
  idempotencyGuard: IdempotencyGuard;
}

/**
 * Makes a mutation idempotent: the key is validated and claimed before the resolver runs, repeats
 * are answered without running it, and its outcome is recorded after. The resolver body stays
 * free of all of this.
 */
export function Idempotent<TArgs, TContext extends IdempotencyContext, TResult>(
  policy: IdempotencyPolicy<TArgs, TContext, TResult>,
): MethodDecorator {
  return createMethodMiddlewareDecorator<TContext>(({ args, context }, next) =>
    context.idempotencyGuard.run(policy, args as TArgs, context, next as () => Promise<TResult>),
  );
}
