import type { CompletedClaim } from './claim-store';
import type { ClaimState, IdempotencyEvent, IdempotencyObserver, IdempotencyRequest } from './events';
import type { PreparedRequest, ResultOutcome } from './policy';
import { rememberClaimBehind } from './repeats';

/** What a decision is about: the operation, the key, and the request as prepared (a replayed response's repeat has no more). */
export interface DecisionSubject<TContext> {
  policy: { readonly operation: string };
  context: TContext & IdempotencyRequest;
  startedAt: number;
  key: string;
  prepared?: PreparedRequest;
}

/** Tells the observers of each operation, and the request itself, what the guard decided. */
export class DecisionReporter {
  constructor(
    private readonly observers: readonly IdempotencyObserver<object, unknown>[],
    private readonly onObserverError: (error: unknown) => void,
  ) {}

  /** Reports one decision. `held`: the completed claim a repeat was answered from. */
  report<TContext>(
    subject: DecisionSubject<TContext>,
    outcome: ResultOutcome,
    claim: ClaimState,
    held?: CompletedClaim,
  ): void {
    const event: IdempotencyEvent = {
      operation: subject.policy.operation,
      scope: subject.prepared?.scope,
      key: subject.key,
      outcome: outcome.outcome,
      layer: outcome.layer,
      claim,
      fingerprint: subject.prepared?.fingerprint,
      resourceId: outcome.resource?.resourceId,
      retryAfterMs: outcome.retryAfterMs,
      latencyMs: performance.now() - subject.startedAt,
      at: new Date(),
      metadata: { ...subject.prepared?.metadata, ...outcome.metadata },
    };
    if (held) rememberClaimBehind(event, held);
    subject.context?.idempotencyDecisions?.push(event); // no context: graphql-js's is optional
    for (const observer of this.observers) {
      if (observer.operations && !observer.operations.includes(event.operation)) continue;
      try {
        observer.onDecision(event, subject.context);
      } catch (error) {
        this.onObserverError(error);
      }
    }
  }

  /**
   * The policy's answer (`answer`), with the decision reported once the answer exists: also when it
   * is thrown (a GraphQL error, as answerWithErrors answers everything but a repeat), so that
   * observers and the response's headers (Retry-After) see it. Nothing is reported for null (a
   * vanished resource: the request runs after all), nor for a repeat whose answer throws: a repeat's
   * answer is the first request's result, and a throw says it could not be given (its read failed,
   * the database went away), so the request ends in an error having answered nothing: reported, it
   * was audited as a repeat and sent `Idempotent-Replayed: true` with a 503.
   */
  async answered<TContext>(
    subject: DecisionSubject<TContext>,
    answer: () => unknown,
    outcome: ResultOutcome,
    claim: ClaimState,
    held?: CompletedClaim,
  ): Promise<unknown> {
    let result: unknown;
    try {
      result = await answer();
    } catch (error) {
      if (outcome.outcome !== 'duplicate') this.report(subject, outcome, claim, held);
      throw error;
    }
    if (result !== null) this.report(subject, outcome, claim, held);
    return result;
  }
}
