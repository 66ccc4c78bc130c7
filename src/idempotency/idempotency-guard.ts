import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import { callStore } from '../stores/store-call';
import type { StoreCallPolicy, StoreCallResult } from '../stores/store-call';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import type {
  ClaimState,
  DetectionSource,
  IdempotencyDecision,
  IdempotencyEvent,
  IdempotencyObserver,
  IdempotencyRequest,
  SemanticMatch,
} from './idempotency-event';
import { idempotencyKeyProblem } from './idempotency-key';

export type { DetectionSource };

/** A resource that a key's request created, as remembered for repeats. */
export interface SettledResource {
  resourceId: string;
  fingerprint: string;
  firstSeenAt: Date;
  /**
   * The answer a repeat gets, as the policy wrote it down (a JSON value kept with the completed
   * claim), so that a repeat needs no database read. Absent when the policy must read it again.
   */
  replay?: unknown;
}

/** A request ready to be claimed: who sent which key, and what it asks for. */
export interface PreparedRequest {
  scope: ClaimScope;
  fingerprint: string;
  /** The sales channel, reported to observers. */
  channel?: string;
  /** The source within the channel (a marketplace's name, a store), reported to observers. */
  salesSource?: string;
}

/** What the resolver's result means: the decision, and the resource to remember if any. */
export interface ResultOutcome {
  decision: IdempotencyDecision;
  source?: DetectionSource;
  /** Set when the key now stands for this resource (created, or found as a duplicate). */
  resource?: SettledResource;
  /** The other resource involved (a possible duplicate's recent equivalent). */
  relatedResourceId?: string;
  semanticMatch?: SemanticMatch;
  /** For `in_progress`: the retry hint given to the client (ms). */
  retryAfterMs?: number;
  /** The request already wrote its decision's audit record durably (with the resource it created). */
  recorded?: boolean;
  /** The duplicate-risk score that decided, and its model's version (see IdempotencyEvent). */
  riskScore?: number;
  riskModelVersion?: string;
  similarity?: number;
  candidateAgeMs?: number;
  riskAction?: string;
}

/** A request the guard lets run: what it prepared, and how the claim store took part. */
export interface GuardedAttempt<TPrepared extends PreparedRequest = PreparedRequest> {
  prepared: TPrepared;
  /** `claimed`: this request holds the key; `unavailable`: the store could not say, the database decides. */
  claim: 'claimed' | 'unavailable';
  /** The request's id, for records written with the resource. */
  requestId: string;
  /** performance.now() when the guard started. */
  startedAt: number;
}

/**
 * How one mutation takes part in idempotency: how to read its request, what its result means,
 * and how to answer each decision in its own result type. The guard itself knows nothing of orders.
 */
export interface IdempotencyPolicy<TArgs, TContext, TResult, TPrepared extends PreparedRequest = PreparedRequest> {
  /** The key as sent, before validation. */
  keyOf(args: TArgs): string;
  /** Checks the request and prepares it (parsed once, fingerprinted), or returns the answer for a request that must not run. */
  prepare(args: TArgs, context: TContext): TPrepared | { reject: TResult };
  /** Classifies the resolver's result. Only a result with a `resource` is remembered. */
  outcomeOf(result: TResult): ResultOutcome;
  /**
   * The resource the database holds for this key, if its request has committed, with its replay
   * when one read can give it: the whole cost of a repeat the store could not answer.
   */
  findCommitted(scope: ClaimScope, context: TContext): Promise<SettledResource | null>;
  /** The answer for a repeat; null when the resource no longer exists. */
  duplicate(
    resource: SettledResource,
    source: DetectionSource,
    scope: ClaimScope,
    context: TContext,
  ): Promise<TResult | null>;
  reused(scope: ClaimScope): TResult;
  inProgress(scope: ClaimScope, retryAfterMs: number): TResult;
  invalidKey(message: string): TResult;
  /**
   * Runs just before a request that will create something new executes (it won a fresh claim, or
   * runs unclaimed); repeats never reach it. It may throw to turn the request away (rate limit):
   * the claim is then released, so a later retry with the same key can run.
   */
  admit?(scope: ClaimScope, context: TContext, args: TArgs): Promise<void>;
}

/** Timing options of the guard. */
export interface IdempotencyGuardOptions {
  /** How long a claim holds the key if its request never finishes (ms). Must outlive the slowest request. */
  leaseMs: number;
  /** How long a completed key answers from the store (ms). */
  retentionMs: number;
  /** The retry hint for requests that find the key in progress (ms), capped by the lease left. */
  retryAfterMs: number;
  /** How long one store call may take before the database path takes over (ms). */
  storeTimeoutMs: number;
}

/** The state of one guarded request, passed between the guard's steps. */
interface Attempt<TContext, TPrepared extends PreparedRequest> {
  context: TContext & IdempotencyRequest;
  args: unknown;
  startedAt: number;
  key: string;
  prepared?: TPrepared;
}

type AnyPolicy<TContext, TResult, TPrepared extends PreparedRequest> = IdempotencyPolicy<
  unknown,
  TContext,
  TResult,
  TPrepared
>;

/**
 * Claims a key in the store before the resolver runs, answers repeats from it, and records the
 * outcome afterwards. The store is an accelerator: when it is slow, wrong or down the request goes
 * on unclaimed and the database's unique index decides, so the store can never cause a duplicate.
 */
export class IdempotencyGuard {
  private readonly storeCalls: StoreCallPolicy;

  constructor(
    private readonly store: ClaimStore,
    private readonly options: IdempotencyGuardOptions,
    metrics: Metrics,
    private readonly logger: Logger,
    private readonly observers: readonly IdempotencyObserver[] = [],
  ) {
    const warn = throttledWarning(logger, 'claim store call failed: the database decides');
    this.storeCalls = {
      timeoutMs: options.storeTimeoutMs,
      onFailure(operation, error) {
        metrics.claimStoreFallbacks.inc({ operation });
        warn({ err: error, operation });
      },
    };
  }

  async run<TArgs, TContext, TResult, TPrepared extends PreparedRequest>(
    policy: IdempotencyPolicy<TArgs, TContext, TResult, TPrepared>,
    args: TArgs,
    context: TContext & IdempotencyRequest,
    execute: (attempt: GuardedAttempt<TPrepared>) => Promise<TResult>,
  ): Promise<TResult> {
    const anyPolicy = policy as AnyPolicy<TContext, TResult, TPrepared>;
    const attempt: Attempt<TContext, TPrepared> = {
      context,
      args,
      startedAt: performance.now(),
      key: policy.keyOf(args),
    };
    const keyProblem = idempotencyKeyProblem(attempt.key);
    if (keyProblem) return this.decide(attempt, { decision: 'invalid_key' }, 'none', policy.invalidKey(keyProblem));
    const prepared = policy.prepare(args, context);
    if ('reject' in prepared) return this.decide(attempt, { decision: 'rejected' }, 'none', prepared.reject);
    attempt.prepared = prepared;

    const claim: PendingClaim = {
      state: 'pending',
      fingerprint: prepared.fingerprint,
      owner: randomUUID(),
      claimedAt: Date.now(),
    };
    const claimed = await this.call('claim', () => this.store.claim(prepared.scope, claim, this.options.leaseMs));
    if (!claimed.ok) return this.runUnclaimed(anyPolicy, attempt, execute);
    if (claimed.value === null) return this.runClaimed(anyPolicy, attempt, claim, execute);
    const answer = await this.answerHeld(anyPolicy, attempt, claimed.value);
    return answer !== undefined ? answer : this.runUnclaimed(anyPolicy, attempt, execute);
  }

  private async runClaimed<TContext, TResult, TPrepared extends PreparedRequest>(
    policy: AnyPolicy<TContext, TResult, TPrepared>,
    attempt: Attempt<TContext, TPrepared>,
    claim: PendingClaim,
    execute: (attempt: GuardedAttempt<TPrepared>) => Promise<TResult>,
  ): Promise<TResult> {
    const { scope } = attempt.prepared!;
    let result: TResult;
    try {
      await policy.admit?.(scope, attempt.context, attempt.args);
      result = await execute(this.guarded(attempt, 'claimed'));
    } catch (error) {
      // Failures are never remembered: the next retry with this key must be able to run.
      await this.call('release', () => this.store.release(scope, claim));
      throw error;
    }
    const outcome = policy.outcomeOf(result);
    if (outcome.resource) {
      const completed = completedClaim(outcome.resource);
      await this.call('complete', () => this.store.complete(scope, claim, completed, this.options.retentionMs));
    } else {
      await this.call('release', () => this.store.release(scope, claim));
    }
    return this.decide(attempt, outcome, 'claimed', result);
  }

  /**
   * The store could not say: the database decides. A repeat costs the one read of findCommitted;
   * anything else runs, and the unique index stops a request that races another with its key.
   */
  private async runUnclaimed<TContext, TResult, TPrepared extends PreparedRequest>(
    policy: AnyPolicy<TContext, TResult, TPrepared>,
    attempt: Attempt<TContext, TPrepared>,
    execute: (attempt: GuardedAttempt<TPrepared>) => Promise<TResult>,
  ): Promise<TResult> {
    const committed = await policy.findCommitted(attempt.prepared!.scope, attempt.context);
    const answer = committed && (await this.answerCommitted(policy, attempt, committed, 'unavailable'));
    if (answer) return answer;
    await policy.admit?.(attempt.prepared!.scope, attempt.context, attempt.args);
    const result = await execute(this.guarded(attempt, 'unavailable'));
    return this.decide(attempt, policy.outcomeOf(result), 'unavailable', result);
  }

  /** The answer for a key someone already holds; undefined when the request should run after all. */
  private async answerHeld<TContext, TResult, TPrepared extends PreparedRequest>(
    policy: AnyPolicy<TContext, TResult, TPrepared>,
    attempt: Attempt<TContext, TPrepared>,
    held: ClaimRecord,
  ): Promise<TResult | undefined> {
    const { scope, fingerprint } = attempt.prepared!;
    if (held.state === 'completed') {
      if (held.fingerprint !== fingerprint)
        return this.decide(attempt, { decision: 'reused' }, 'held', policy.reused(scope));
      return this.answerDuplicate(policy, attempt, settledFrom(held), 'CACHE', 'held');
    }
    // A pending claim may belong to a request that already committed but could not record it
    // (store trouble, a crash after commit): the database knows, and its answer beats "retry later".
    const committed = await policy.findCommitted(scope, attempt.context);
    if (committed) {
      await this.call('remember', () =>
        this.store.remember(scope, completedClaim(committed), this.options.retentionMs),
      );
      return this.answerCommitted(policy, attempt, committed, 'held');
    }
    const leaseLeftMs = held.claimedAt + this.options.leaseMs - Date.now();
    const retryAfterMs = Math.max(1, Math.min(this.options.retryAfterMs, leaseLeftMs));
    return this.decide(
      attempt,
      { decision: 'in_progress', retryAfterMs },
      'held',
      policy.inProgress(scope, retryAfterMs),
    );
  }

  /** A resource the database holds for the key: the original for the same payload, else the key reused. */
  private async answerCommitted<TContext, TResult, TPrepared extends PreparedRequest>(
    policy: AnyPolicy<TContext, TResult, TPrepared>,
    attempt: Attempt<TContext, TPrepared>,
    committed: SettledResource,
    claim: ClaimState,
  ): Promise<TResult | undefined> {
    const { scope, fingerprint } = attempt.prepared!;
    if (committed.fingerprint !== fingerprint)
      return this.decide(attempt, { decision: 'reused' }, claim, policy.reused(scope));
    return this.answerDuplicate(policy, attempt, committed, 'DATABASE', claim);
  }

  private async answerDuplicate<TContext, TResult, TPrepared extends PreparedRequest>(
    policy: AnyPolicy<TContext, TResult, TPrepared>,
    attempt: Attempt<TContext, TPrepared>,
    resource: SettledResource,
    source: DetectionSource,
    claim: ClaimState,
  ): Promise<TResult | undefined> {
    const answer = await policy.duplicate(resource, source, attempt.prepared!.scope, attempt.context);
    if (answer === null) return undefined;
    return this.decide(attempt, { decision: 'duplicate', source, resource }, claim, answer);
  }

  private guarded<TContext, TPrepared extends PreparedRequest>(
    attempt: Attempt<TContext, TPrepared>,
    claim: GuardedAttempt['claim'],
  ): GuardedAttempt<TPrepared> {
    return { prepared: attempt.prepared!, claim, requestId: attempt.context.requestId, startedAt: attempt.startedAt };
  }

  /** Runs one store call within the timeout; a failure is logged, counted and reported, never thrown. */
  private call<T>(operation: string, work: () => Promise<T>): Promise<StoreCallResult<T>> {
    return callStore(this.storeCalls, operation, work);
  }

  /** Tells every observer (and the request) what was decided, then hands the answer back. */
  private decide<TContext, TPrepared extends PreparedRequest, TResult>(
    attempt: Attempt<TContext, TPrepared>,
    outcome: ResultOutcome,
    claim: ClaimState,
    answer: TResult,
  ): TResult {
    const event: IdempotencyEvent = {
      decision: outcome.decision,
      source: outcome.source,
      claim,
      customerId: attempt.prepared?.scope.customerId,
      key: attempt.key,
      fingerprint: attempt.prepared?.fingerprint,
      resourceId: outcome.resource?.resourceId,
      relatedResourceId: outcome.relatedResourceId,
      semanticMatch: outcome.semanticMatch,
      retryAfterMs: outcome.retryAfterMs,
      recorded: outcome.recorded ?? false,
      channel: attempt.prepared?.channel,
      salesSource: attempt.prepared?.salesSource,
      riskScore: outcome.riskScore,
      riskModelVersion: outcome.riskModelVersion,
      similarity: outcome.similarity,
      candidateAgeMs: outcome.candidateAgeMs,
      riskAction: outcome.riskAction,
      latencyMs: performance.now() - attempt.startedAt,
      at: new Date(),
    };
    attempt.context.idempotencyDecisions?.push(event);
    for (const observer of this.observers) {
      try {
        observer.onDecision(event, attempt.context);
      } catch (error) {
        this.logger.error({ err: error }, 'idempotency observer failed');
      }
    }
    return answer;
  }
}

function completedClaim(resource: SettledResource): CompletedClaim {
  return {
    state: 'completed',
    fingerprint: resource.fingerprint,
    resourceId: resource.resourceId,
    firstSeenAt: resource.firstSeenAt.getTime(),
    ...(resource.replay !== undefined ? { replay: resource.replay } : {}),
  };
}

function settledFrom(record: CompletedClaim): SettledResource {
  return {
    resourceId: record.resourceId,
    fingerprint: record.fingerprint,
    firstSeenAt: new Date(record.firstSeenAt),
    ...(record.replay !== undefined ? { replay: record.replay } : {}),
  };
}
