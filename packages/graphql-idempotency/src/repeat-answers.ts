import { resultOf } from './attempt';
import type { Attempt } from './attempt';
import { fingerprintsMatch } from './claim-codec';
import type { ClaimRecord, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import type { DecisionReporter } from './decisions';
import type { ClaimState, DetectionLayer } from './events';
import { leaseMsOf, retentionMsOf } from './guard-options';
import type { IdempotencyGuardOptions } from './guard-options';
import type { InFlightClaims } from './in-flight-claims';
import { NULL_ANSWER } from './policy';
import type { GuardAnswer, PreparedRequest, ResultOutcome, SettledResource } from './policy';
import { completedClaim, settledFrom } from './settled-resource';
import { callStore } from './store-call';
import type { StoreCallPolicy } from './store-call';

/**
 * The guard's answers to a request whose key already stands for something: a completed claim (the
 * first answer, or the key reused), a request still running (in progress, or its answer once it
 * has one), or a resource the database holds. Each answer is the policy's, with the decision
 * reported; undefined when the request should run after all.
 */
export class RepeatAnswers {
  constructor(
    private readonly store: ClaimStore,
    private readonly options: IdempotencyGuardOptions,
    private readonly decisions: DecisionReporter,
    private readonly storeCalls: StoreCallPolicy,
    /** The claims running here, kept only when repeats may wait for them (repeatWaitMs). */
    private readonly inFlight: InFlightClaims | undefined,
  ) {}

  /**
   * The answer for a key read without claiming it: a completed key's (the first answer, or reused),
   * a committed one's (the database also knows keys the store forgot or could not read), a running
   * one's (in progress); undefined when the key stands for nothing.
   */
  async answerKnownKey<TContext, TResult>(attempt: Attempt<TContext, PreparedRequest>): Promise<TResult | undefined> {
    const scope = attempt.scope!;
    let held = this.store.peek?.(scope);
    if (held === undefined && this.store.read) {
      const read = await callStore(this.storeCalls, 'read', () => this.store.read!(scope));
      if (read.ok) held = read.value;
    }
    if (held?.state === 'pending') {
      const waited = await this.waitForOwner(attempt, held);
      if (waited?.settled === 'completed') held = waited.record;
      if (waited?.settled === 'released') held = null;
    }
    if (held?.state === 'completed') return this.answerHeld<TContext, TResult, PreparedRequest>(attempt, held);
    const committed = await attempt.policy.findCommitted(scope, attempt.context);
    if (committed) return this.answerCommitted(attempt, committed, held === undefined ? 'unavailable' : 'held');
    return held ? this.answerInProgress(attempt, held) : undefined;
  }

  /**
   * Waits for the key's request when it runs in this process, for what is left of repeatWaitMs
   * since this request arrived; undefined when it runs elsewhere or there is no wait left.
   */
  waitForOwner(attempt: Attempt<unknown, PreparedRequest>, held: PendingClaim) {
    const waitMs = attempt.startedAt + (this.options.repeatWaitMs ?? 0) - performance.now();
    return waitMs > 0 ? this.inFlight?.wait(held.owner, waitMs) : undefined;
  }

  /** The answer for a key someone already holds; undefined when the request should run after all. */
  async answerHeld<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    held: ClaimRecord,
  ): Promise<TResult | undefined> {
    const scope = attempt.scope!;
    if (held.state === 'completed') {
      if (!fingerprintsMatch(held.fingerprint, attempt.prepared!.fingerprint))
        return this.answerWith(attempt, { outcome: 'reused', scope }, 'held');
      return this.answerDuplicate(attempt, settledFrom(held), 'CACHE', 'held', held);
    }
    // A pending claim may belong to a request that already committed but could not record it
    // (store trouble, a crash after commit): the database knows, and its answer beats "retry later".
    const committed = await attempt.policy.findCommitted(scope, attempt.context);
    if (committed) {
      const retentionMs = retentionMsOf(attempt.policy, this.options);
      await callStore(this.storeCalls, 'remember', () =>
        this.store.remember(scope, completedClaim(committed), retentionMs),
      );
      return this.answerCommitted(attempt, committed, 'held');
    }
    return this.answerInProgress(attempt, held);
  }

  /** "In progress, retry after": the hint capped by what is left of the claim's lease. */
  answerInProgress<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    held: PendingClaim,
  ): Promise<TResult | undefined> {
    const leaseMs = leaseMsOf(attempt.policy, this.options);
    // claimedAt is the claiming instance's clock. The store still holds the claim, so its lease is
    // not over: a figure outside (0, lease] says the two clocks disagree (one ran 60 s ahead and
    // hinted 1 ms, a tight retry loop for the whole lease), and the hint stands alone.
    const leaseLeftMs = held.claimedAt + leaseMs - Date.now();
    const plausible = leaseLeftMs > 0 && leaseLeftMs <= leaseMs;
    const retryAfterMs = Math.max(
      1,
      plausible ? Math.min(this.options.retryAfterMs, leaseLeftMs) : this.options.retryAfterMs,
    );
    return this.answerWith(attempt, { outcome: 'in_progress', scope: attempt.scope!, retryAfterMs }, 'held');
  }

  /** A resource the database holds for the key: the original for the same payload, else the key reused. */
  async answerCommitted<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    committed: SettledResource,
    claim: ClaimState,
  ): Promise<TResult | undefined> {
    if (committed.fingerprint !== attempt.prepared!.fingerprint)
      return this.answerWith(attempt, { outcome: 'reused', scope: attempt.scope! }, claim);
    return this.answerDuplicate(attempt, committed, 'DATABASE', claim);
  }

  private answerDuplicate<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    resource: SettledResource,
    layer: DetectionLayer,
    claim: ClaimState,
    held?: CompletedClaim,
  ): Promise<TResult | undefined> {
    return this.answerWith(attempt, { outcome: 'duplicate', layer, resource, scope: attempt.scope! }, claim, held);
  }

  /** Asks the policy for the answer and reports the decision; undefined when it has none (a vanished resource). */
  private async answerWith<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    answer: Exclude<GuardAnswer, { outcome: 'invalid_key' }>,
    claim: ClaimState,
    held?: CompletedClaim,
  ): Promise<TResult | undefined> {
    const outcome: ResultOutcome =
      answer.outcome === 'duplicate'
        ? { outcome: 'duplicate', layer: answer.layer, resource: answer.resource }
        : answer.outcome === 'in_progress'
          ? { outcome: 'in_progress', retryAfterMs: answer.retryAfterMs }
          : { outcome: answer.outcome };
    const answered = async () => {
      const result = await attempt.policy.answer(answer, attempt.context);
      // Reported once the answer is known: what it found goes with the decision.
      if (result !== null && result !== NULL_ANSWER) outcome.metadata = attempt.policy.answerMetadata?.(result);
      return result;
    };
    const result = await this.decisions.answered(attempt, answered, outcome, claim, held);
    return result === null ? undefined : resultOf<TResult>(result);
  }
}
