import { randomUUID } from 'node:crypto';
import { guardedAttempt, resultOf } from './attempt';
import type { Attempt, Execute } from './attempt';
import type { ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { settleClaim } from './claim-settlement';
import { DecisionReporter } from './decisions';
import type { DecisionSubject } from './decisions';
import type { ClaimState, EventMetadata, IdempotencyRequest } from './events';
import { checkGuardOptions, leaseMsOf, retentionMsOf } from './guard-options';
import type { IdempotencyGuardOptions } from './guard-options';
import { InFlightClaims } from './in-flight-claims';
import { settleLateClaim } from './late-claim';
import type { LateClaim } from './late-claim';
import { callKeyProblem, keyArgumentOf } from './policy';
import type { IdempotencyPolicy, PreparedRequest, RejectedRequest, ResultOutcome } from './policy';
import { RepeatAnswers } from './repeat-answers';
import { confirmClaimedRepeat } from './repeat-confirmation';
import type { ClaimedRepeat } from './repeats';
import { completedClaim } from './settled-resource';
import { callStore } from './store-call';
import type { StoreCallPolicy, StoreCallResult } from './store-call';
import { warnOfStoreFailures } from './store-failure-warning';

/**
 * Claims a key in the store before the resolver runs, answers repeats from it, and records the
 * outcome afterwards. When the store is slow, wrong or down the request goes on unclaimed: only
 * findCommitted recognises a committed repeat then, and only the database's unique index stops
 * calls racing before one commits (README, "What it guarantees"). Failures are never remembered.
 *
 * `TMetadata` (your policies' event metadata) and `TRequest` (your GraphQL context) type the
 * observers' events and requests: inferred from a typed observer among them, else named
 * (`new IdempotencyGuard<ChannelMetadata, Context>(…)`), else any metadata field is unknown.
 */
export class IdempotencyGuard<TMetadata extends EventMetadata = Record<string, unknown>, TRequest = unknown> {
  private readonly storeCalls: StoreCallPolicy;
  private readonly silentStoreCalls: StoreCallPolicy;
  private readonly decisions: DecisionReporter;
  /** The claims running here, kept only when repeats may wait for them (repeatWaitMs). */
  private readonly inFlight: InFlightClaims | undefined;
  private readonly answers: RepeatAnswers;

  private readonly options: IdempotencyGuardOptions;

  constructor(
    private readonly store: ClaimStore,
    options: IdempotencyGuardOptions<TMetadata, TRequest>,
  ) {
    checkGuardOptions(options);
    this.options = options;
    this.decisions = new DecisionReporter(options.observers ?? [], (error) =>
      options.onObserverError ? options.onObserverError(error) : console.error('idempotency observer failed', error),
    );
    this.storeCalls = {
      timeoutMs: options.storeTimeoutMs,
      onFailure: options.onStoreFailure
        ? (operation, error) => options.onStoreFailure?.(operation, error)
        : warnOfStoreFailures(),
    };
    this.silentStoreCalls = { timeoutMs: options.storeTimeoutMs, onFailure: () => undefined };
    this.inFlight = (options.repeatWaitMs ?? 0) > 0 ? new InFlightClaims() : undefined;
    this.answers = new RepeatAnswers(store, options, this.decisions, this.storeCalls, this.inFlight);
  }

  /**
   * Runs `execute` at most once per (operation, scope, key) and payload; repeats get the first
   * answer. The key is `key` when given (an `@idempotent(key:)` directive), else the policy's key argument.
   */
  async run<TArgs, TContext, TResult, TPrepared extends PreparedRequest>(
    policy: IdempotencyPolicy<TArgs, TContext, TResult, TPrepared>,
    args: TArgs,
    context: TContext & IdempotencyRequest,
    execute: Execute<TPrepared, TResult>,
    key: string = keyArgumentOf(policy, args),
  ): Promise<TResult> {
    // graphql-js's context is optional (`graphql({ schema, source })`): none is an empty one here.
    const requestId = (context as { requestId?: unknown } | undefined)?.requestId;
    const attempt: Attempt<TContext, TPrepared> = {
      policy,
      context,
      args,
      startedAt: performance.now(),
      key,
      requestId: typeof requestId === 'string' ? requestId : randomUUID(),
    };
    const keyProblem = callKeyProblem(policy, args, key);
    if (keyProblem) {
      const answer = await this.decisions.answered(
        attempt,
        () => policy.answer({ outcome: 'invalid_key', key, message: keyProblem }, context),
        { outcome: 'invalid_key' },
        'none',
      );
      return resultOf<TResult>(answer);
    }
    const prepared = policy.prepare(args, context, key);
    if ('reject' in prepared) return this.answerRejected(attempt, prepared);
    attempt.prepared = prepared;
    attempt.scope = { operation: policy.operation, scope: prepared.scope, key };
    return this.claimAndRun(attempt, execute);
  }

  /**
   * A request the policy refuses. When the policy names its scope and fingerprint, its key is read
   * first (never claimed, nothing written): the rules may have been tightened since the key's
   * first request, and a retry of it gets its first answer, not a refusal the client takes as final.
   */
  private async answerRejected<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    rejected: RejectedRequest<TResult>,
  ): Promise<TResult> {
    if ('scope' in rejected) {
      const { scope, fingerprint, metadata } = rejected;
      const known = await this.answers.answerKnownKey<TContext, TResult>({
        ...attempt,
        prepared: { scope, fingerprint, metadata },
        scope: { operation: attempt.policy.operation, scope, key: attempt.key },
      });
      if (known !== undefined) return known;
    }
    return this.decide(attempt, { outcome: 'rejected' }, 'none', rejected.reject);
  }

  /** Claims the key and runs, or answers from what holds it. */
  private async claimAndRun<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    execute: Execute<TPrepared, TResult>,
  ): Promise<TResult> {
    const scope = attempt.scope!;
    // A completed key this process knows without a round trip (a near cache): a claim would change
    // nothing and return this record, so the repeat is answered from it without a store call.
    let held = this.store.peek?.(scope);
    if (held?.state !== 'completed') {
      const claim: PendingClaim = {
        state: 'pending',
        fingerprint: attempt.prepared!.fingerprint,
        owner: randomUUID(),
        claimedAt: Date.now(),
      };
      const claiming = this.store.claim(scope, claim, leaseMsOf(attempt.policy, this.options));
      const claimed = await this.call('claim', () => claiming);
      if (!claimed.ok) return this.runUnclaimed(attempt, execute, { store: this.store, claim, claiming });
      if (claimed.value === null) return this.runClaimed(attempt, claim, execute);
      held = claimed.value;
    }
    const waited = held.state === 'pending' ? await this.answers.waitForOwner(attempt, held) : undefined;
    if (waited?.settled === 'completed') held = waited.record;
    // The key is free again: this request runs, as the client's retry would.
    if (waited?.settled === 'released') return this.claimAndRun(attempt, execute);
    const answer =
      waited?.settled === 'running'
        ? // Still running here, so the database cannot know more: answered without a read.
          await this.answers.answerInProgress<TContext, TResult, TPrepared>(attempt, held as PendingClaim)
        : await this.answers.answerHeld<TContext, TResult, TPrepared>(attempt, held);
    return answer !== undefined ? answer : this.runUnclaimed(attempt, execute);
  }

  private async runClaimed<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    claim: PendingClaim,
    execute: Execute<TPrepared, TResult>,
  ): Promise<TResult> {
    const scope = attempt.scope!;
    const guarded = guardedAttempt(attempt, 'claimed');
    let result: TResult;
    this.inFlight?.begin(claim.owner);
    try {
      await attempt.policy.admit?.(scope, attempt.context, attempt.args);
      result = await execute(guarded);
    } catch (error) {
      // Failures are never remembered: the next retry with this key must be able to run.
      await this.call('release', () => this.store.release(scope, claim));
      this.inFlight?.end(claim.owner, null);
      throw error;
    }
    let outcome: ResultOutcome;
    let completed: CompletedClaim | null;
    try {
      outcome = attempt.policy.outcomeOf(result, guarded);
      completed = outcome.resource ? completedClaim(outcome.resource) : null;
    } catch (error) {
      // A policy's fault: the claim stays pending until its lease ends, but nobody waits here for it.
      this.inFlight?.end(claim.owner, null);
      throw error;
    }
    const retentionMs = retentionMsOf(attempt.policy, this.options);
    const leaseMs = leaseMsOf(attempt.policy, this.options);
    const settled = settleClaim(this.storeCalls, this.store, scope, claim, completed, { retentionMs, leaseMs });
    this.inFlight?.settling(claim.owner, completed, settled);
    if (!this.options.settleInBackground) await settled;
    return this.decide(attempt, outcome, 'claimed', result);
  }

  /**
   * The store could not say: the database decides. A repeat costs the one read of findCommitted;
   * anything else runs, and the unique index stops a request that races another with its key.
   */
  private async runUnclaimed<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    execute: Execute<TPrepared, TResult>,
    late?: LateClaim,
  ): Promise<TResult> {
    let completed: CompletedClaim | null = null;
    try {
      const committed = await attempt.policy.findCommitted(attempt.scope!, attempt.context);
      // What the database holds is the key's record, as RepeatAnswers.answerHeld remembers it:
      // released instead, the key's next repeat would claim it afresh and run again (a fresh claim
      // asks no arbiter).
      if (late && committed) completed = completedClaim(committed);
      const answer = committed
        ? await this.answers.answerCommitted<TContext, TResult, TPrepared>(attempt, committed, 'unavailable')
        : undefined;
      // A falsy answer (false, 0, '', null) is an answer too: only undefined runs the request.
      if (answer !== undefined) return answer;
      completed = null;
      await attempt.policy.admit?.(attempt.scope!, attempt.context, attempt.args);
      const guarded = guardedAttempt(attempt, 'unavailable');
      const result = await execute(guarded);
      const outcome = attempt.policy.outcomeOf(result, guarded);
      // Only a late claim needs the record (built for nothing otherwise, on every call of an outage).
      if (late && outcome.resource) completed = completedClaim(outcome.resource);
      return this.decide(attempt, outcome, 'unavailable', result);
    } finally {
      if (late) {
        settleLateClaim(late, completed, this.storeCalls, attempt.scope!, {
          retentionMs: retentionMsOf(attempt.policy, this.options),
          leaseMs: leaseMsOf(attempt.policy, this.options),
        });
      }
    }
  }

  /**
   * For a response-level replay (response-replay-cache.ts): the request repeats, with the same
   * document, variables and caller, one whose guarded field was answered from `repeat`'s completed
   * claim. Reads the key's claim again (from the store's memory when it keeps one, `peek`; else one
   * store read, no write) and, when it is still that claim, records the repeat as every repeat is
   * recorded (observers, the request's decisions) and answers true: the earlier response may be sent
   * again. False when the claim changed (an order that changed since, whose replay was rewritten),
   * is in progress, is gone, or the store cannot say in time: then the request runs as any other,
   * and nothing was recorded. Answers at once (not a promise) when the store's memory knows.
   */
  confirmRepeat(repeat: ClaimedRepeat, context: IdempotencyRequest): boolean | Promise<boolean> {
    return confirmClaimedRepeat(this.store, this.silentStoreCalls, this.decisions, repeat, context);
  }

  /** Runs one store call within the timeout; a failure is reported, never thrown. */
  private call<T>(operation: string, work: () => Promise<T>): Promise<StoreCallResult<T>> {
    return callStore(this.storeCalls, operation, work);
  }

  /** Reports the decision (DecisionReporter) and hands the answer back. */
  private decide<TContext, TResult>(
    subject: DecisionSubject<TContext>,
    outcome: ResultOutcome,
    claim: ClaimState,
    answer: TResult,
    held?: CompletedClaim,
  ): TResult {
    this.decisions.report(subject, outcome, claim, held);
    return answer;
  }
}
