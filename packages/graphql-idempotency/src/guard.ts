import { randomUUID } from 'node:crypto';
import { fingerprintsMatch } from './claim-codec';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { DecisionReporter } from './decisions';
import type { DecisionSubject } from './decisions';
import type { ClaimState, DetectionLayer, IdempotencyRequest } from './events';
import { InFlightClaims } from './in-flight-claims';
import { settleLateClaim } from './late-claim';
import type { LateClaim } from './late-claim';
import { NULL_ANSWER, callKeyProblem, keyArgumentOf } from './policy';
import { confirmClaimedRepeat } from './repeat-confirmation';
import type { ClaimedRepeat } from './repeats';
import type {
  GuardAnswer,
  GuardedAttempt,
  IdempotencyPolicy,
  PreparedRequest,
  RejectedRequest,
  ResultOutcome,
  SettledResource,
} from './policy';
import { callStore } from './store-call';
import { checkGuardOptions } from './guard-options';
import type { IdempotencyGuardOptions } from './guard-options';
import { completedClaim, settledFrom } from './settled-resource';
import { warnOfStoreFailures } from './store-failure-warning';
import type { StoreCallPolicy, StoreCallResult } from './store-call';

/** A policy's answer as the resolver's result: NULL_ANSWER is null. */
function resultOf<TResult>(answer: unknown): TResult {
  return (answer === NULL_ANSWER ? null : answer) as TResult;
}

/** The state of one guarded request, passed between the guard's steps. */
interface Attempt<TContext, TPrepared extends PreparedRequest> {
  policy: IdempotencyPolicy<unknown, TContext, unknown, TPrepared>;
  context: TContext & IdempotencyRequest;
  args: unknown;
  startedAt: number;
  key: string;
  requestId: string;
  prepared?: TPrepared;
  scope?: ClaimScope;
}

type Execute<TPrepared extends PreparedRequest, TResult> = (attempt: GuardedAttempt<TPrepared>) => Promise<TResult>;

/**
 * Claims a key in the store before the resolver runs, answers repeats from it, and records the
 * outcome afterwards. When the store is slow, wrong or down the request goes on unclaimed: only
 * findCommitted recognises a committed repeat then, and only the database's unique index stops
 * calls racing before one commits (README, "What it guarantees"). Failures are never remembered.
 */
export class IdempotencyGuard {
  private readonly storeCalls: StoreCallPolicy;
  private readonly silentStoreCalls: StoreCallPolicy;
  private readonly decisions: DecisionReporter;
  /** The claims running here, kept only when repeats may wait for them (repeatWaitMs). */
  private readonly inFlight: InFlightClaims | undefined;

  constructor(
    private readonly store: ClaimStore,
    private readonly options: IdempotencyGuardOptions,
  ) {
    checkGuardOptions(options);
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
      const known = await this.answerKnownKey<TContext, TResult>({
        ...attempt,
        prepared: { scope, fingerprint, metadata },
        scope: { operation: attempt.policy.operation, scope, key: attempt.key },
      });
      if (known !== undefined) return known;
    }
    return this.decide(attempt, { outcome: 'rejected' }, 'none', rejected.reject);
  }

  /**
   * The answer for a key read without claiming it: a completed key's (the first answer, or reused),
   * a committed one's (the database also knows keys the store forgot or could not read), a running
   * one's (in progress); undefined when the key stands for nothing.
   */
  private async answerKnownKey<TContext, TResult>(
    attempt: Attempt<TContext, PreparedRequest>,
  ): Promise<TResult | undefined> {
    const scope = attempt.scope!;
    let held = this.store.peek?.(scope);
    if (held === undefined && this.store.read) {
      const read = await this.call('read', () => this.store.read!(scope));
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
      const claiming = this.store.claim(scope, claim, this.leaseMs(attempt));
      const claimed = await this.call('claim', () => claiming);
      if (!claimed.ok) return this.runUnclaimed(attempt, execute, { store: this.store, claim, claiming });
      if (claimed.value === null) return this.runClaimed(attempt, claim, execute);
      held = claimed.value;
    }
    const waited = held.state === 'pending' ? await this.waitForOwner(attempt, held) : undefined;
    if (waited?.settled === 'completed') held = waited.record;
    // The key is free again: this request runs, as the client's retry would.
    if (waited?.settled === 'released') return this.claimAndRun(attempt, execute);
    const answer =
      waited?.settled === 'running'
        ? // Still running here, so the database cannot know more: answered without a read.
          await this.answerInProgress<TContext, TResult, TPrepared>(attempt, held as PendingClaim)
        : await this.answerHeld<TContext, TResult, TPrepared>(attempt, held);
    return answer !== undefined ? answer : this.runUnclaimed(attempt, execute);
  }

  /**
   * Waits for the key's request when it runs in this process, for what is left of repeatWaitMs
   * since this request arrived; undefined when it runs elsewhere or there is no wait left.
   */
  private waitForOwner(attempt: Attempt<unknown, PreparedRequest>, held: PendingClaim) {
    const waitMs = attempt.startedAt + (this.options.repeatWaitMs ?? 0) - performance.now();
    return waitMs > 0 ? this.inFlight?.wait(held.owner, waitMs) : undefined;
  }

  private async runClaimed<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    claim: PendingClaim,
    execute: Execute<TPrepared, TResult>,
  ): Promise<TResult> {
    const scope = attempt.scope!;
    const guarded = this.guarded(attempt, 'claimed');
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
    const retentionMs = attempt.policy.retentionMs ?? this.options.retentionMs;
    // Store calls never throw (callStore), so a settlement left to run in the background cannot fail unseen.
    const settled = completed
      ? this.call('complete', () => this.store.complete(scope, claim, completed, retentionMs))
      : this.call('release', () => this.store.release(scope, claim));
    // Repeats waiting in this process: a resource answers them now, whatever the store makes of it;
    // after a release they claim the key themselves, so only once it is free.
    const { inFlight } = this;
    if (completed && inFlight) {
      inFlight.end(claim.owner, completed);
      void settled.then(() => inFlight.stored(claim.owner));
    } else if (inFlight) void settled.then(() => inFlight.end(claim.owner, null));
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
      // What the database holds is the key's record, as answerHeld remembers it: released instead,
      // the key's next repeat would claim it afresh and run again (a fresh claim asks no arbiter).
      if (late && committed) completed = completedClaim(committed);
      const answer = committed
        ? await this.answerCommitted<TContext, TResult, TPrepared>(attempt, committed, 'unavailable')
        : undefined;
      // A falsy answer (false, 0, '', null) is an answer too: only undefined runs the request.
      if (answer !== undefined) return answer;
      completed = null;
      await attempt.policy.admit?.(attempt.scope!, attempt.context, attempt.args);
      const guarded = this.guarded(attempt, 'unavailable');
      const result = await execute(guarded);
      const outcome = attempt.policy.outcomeOf(result, guarded);
      // Only a late claim needs the record (built for nothing otherwise, on every call of an outage).
      if (late && outcome.resource) completed = completedClaim(outcome.resource);
      return this.decide(attempt, outcome, 'unavailable', result);
    } finally {
      if (late) {
        const retentionMs = attempt.policy.retentionMs ?? this.options.retentionMs;
        settleLateClaim(late, completed, (operation, work) => this.call(operation, work), attempt.scope!, retentionMs);
      }
    }
  }

  /** The answer for a key someone already holds; undefined when the request should run after all. */
  private async answerHeld<TContext, TResult, TPrepared extends PreparedRequest>(
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
      const retentionMs = attempt.policy.retentionMs ?? this.options.retentionMs;
      await this.call('remember', () => this.store.remember(scope, completedClaim(committed), retentionMs));
      return this.answerCommitted(attempt, committed, 'held');
    }
    return this.answerInProgress(attempt, held);
  }

  /** "In progress, retry after": the hint capped by what is left of the claim's lease. */
  private answerInProgress<TContext, TResult, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    held: PendingClaim,
  ): Promise<TResult | undefined> {
    const leaseMs = this.leaseMs(attempt);
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
  private async answerCommitted<TContext, TResult, TPrepared extends PreparedRequest>(
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
    const result = await this.decisions.answered(
      attempt,
      () => attempt.policy.answer(answer, attempt.context),
      outcome,
      claim,
      held,
    );
    return result === null ? undefined : resultOf<TResult>(result);
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

  private leaseMs(attempt: Attempt<unknown, PreparedRequest>): number {
    return attempt.policy.leaseMs ?? this.options.leaseMs;
  }

  private guarded<TContext, TPrepared extends PreparedRequest>(
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
