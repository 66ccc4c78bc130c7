import type { Canonical, GuardAnswer } from 'graphql-idempotency';
import { keyReused } from './key-reused';
import { LifecyclePolicy } from './lifecycle-policy';
import type { LifecycleResult } from './results/lifecycle-results.union';

/**
 * A lifecycle policy whose guard answer for a reused key (from the claim store) names its own
 * change, as the database's answer does (keyReused); every lifecycle policy extends it.
 */
export abstract class NamedLifecyclePolicy<
  TArgs extends { idempotencyKey?: string | null },
  TResult extends LifecycleResult,
  TRequest extends Canonical,
> extends LifecyclePolicy<TArgs, TResult, TRequest> {
  override async answer(answer: GuardAnswer): Promise<TResult | null> {
    if (answer.outcome === 'reused') return keyReused({ operation: this.operation, key: answer.scope.key }) as TResult;
    return super.answer(answer);
  }
}
