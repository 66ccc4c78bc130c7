import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger';
import type { IdempotencyDecision, Metrics } from '../observability/metrics';
import type { ClaimRecord, ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from './claim-store';
import { idempotencyKeyProblem } from './idempotency-key';

/** The layer that recognised a repeat (the contract's DetectionSource). */
export type DetectionSource = 'CACHE' | 'DATABASE';

/** A resource that a key's request created, as remembered for repeats. */
export interface SettledResource {
  resourceId: string;
  fingerprint: string;
  firstSeenAt: Date;
}

/** A request ready to be claimed: who sent which key, and what it asks for. */
export interface PreparedRequest {
  scope: ClaimScope;
  fingerprint: string;
}

/**
 * How one mutation takes part in idempotency: how to read its request, what its result means,
 * and how to answer each decision in its own result type. The guard itself knows nothing of orders.
 */
export interface IdempotencyPolicy<TArgs, TContext, TResult> {
  /** The key as sent, before validation. */
  keyOf(args: TArgs): string;
  /** Checks the request and fingerprints it, or returns the answer for a request that must not run. */
  prepare(args: TArgs, context: TContext): PreparedRequest | { reject: TResult };
  /** The resource the resolver's result created or found; null when it created nothing. */
  settledResourceOf(result: TResult): SettledResource | null;
  /** The resource the database holds for this key, if its request has committed. */
  findCommitted(scope: ClaimScope, context: TContext): Promise<SettledResource | null>;
  /** The answer for a repeat; null when the resource no longer exists. */
  duplicate(resource: SettledResource, source: DetectionSource, scope: ClaimScope, context: TContext): Promise<TResult | null>;
  reused(scope: ClaimScope): TResult;
  inProgress(scope: ClaimScope, retryAfterMs: number): TResult;
  invalidKey(message: string): TResult;
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

class StoreTimeout extends Error {}

/**
 * Claims a key in the store before the resolver runs, answers repeats from it, and records the
 * outcome afterwards. The store is an accelerator: when it is slow, wrong or down the request goes
 * on unclaimed and the database's unique index decides, so the store can never cause a duplicate.
 */
export class IdempotencyGuard {
  constructor(
    private readonly store: ClaimStore,
    private readonly options: IdempotencyGuardOptions,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  async run<TArgs, TContext, TResult>(
    policy: IdempotencyPolicy<TArgs, TContext, TResult>,
    args: TArgs,
    context: TContext,
    execute: () => Promise<TResult>,
  ): Promise<TResult> {
    const startedAt = performance.now();
    const keyProblem = idempotencyKeyProblem(policy.keyOf(args));
    if (keyProblem) {
      this.record('invalid_key', startedAt);
      return policy.invalidKey(keyProblem);
    }
    const prepared = policy.prepare(args, context);
    if ('reject' in prepared) {
      this.record('rejected', startedAt);
      return prepared.reject;
    }
    const { scope, fingerprint } = prepared;
    const claim: PendingClaim = { state: 'pending', fingerprint, owner: randomUUID(), claimedAt: Date.now() };
    const attempt = await this.attempt('claim', () => this.store.claim(scope, claim, this.options.leaseMs));
    if (!attempt.ok) return this.runUnclaimed(policy, scope, execute, startedAt);
    if (attempt.value) {
      const answer = await this.answerExisting(policy, attempt.value, prepared, context, startedAt);
      if (answer !== undefined) return answer;
      return this.runUnclaimed(policy, scope, execute, startedAt);
    }
    return this.runClaimed(policy, prepared, claim, execute, startedAt);
  }

  private async runClaimed<TResult>(
    policy: IdempotencyPolicy<unknown, unknown, TResult>,
    { scope }: PreparedRequest,
    claim: PendingClaim,
    execute: () => Promise<TResult>,
    startedAt: number,
  ): Promise<TResult> {
    let result: TResult;
    try {
      result = await execute();
    } catch (error) {
      // Failures are never remembered: the next retry with this key must be able to run.
      await this.attempt('release', () => this.store.release(scope, claim));
      throw error;
    }
    const settled = policy.settledResourceOf(result);
    if (settled) {
      const completed = completedClaim(settled);
      await this.attempt('complete', () => this.store.complete(scope, claim, completed, this.options.retentionMs));
    } else {
      await this.attempt('release', () => this.store.release(scope, claim));
    }
    this.record('claimed', startedAt);
    return result;
  }

  private async runUnclaimed<TResult>(
    policy: IdempotencyPolicy<unknown, unknown, TResult>,
    scope: ClaimScope,
    execute: () => Promise<TResult>,
    startedAt: number,
  ): Promise<TResult> {
    this.logger.warn({ customerId: scope.customerId, key: scope.key }, 'claim store unavailable: the database decides');
    const result = await execute();
    this.record('fallback', startedAt);
    return result;
  }

  /** The answer for a key someone already holds; undefined when the request should run after all. */
  private async answerExisting<TContext, TResult>(
    policy: IdempotencyPolicy<unknown, TContext, TResult>,
    existing: ClaimRecord,
    { scope, fingerprint }: PreparedRequest,
    context: TContext,
    startedAt: number,
  ): Promise<TResult | undefined> {
    if (existing.state === 'completed') {
      if (existing.fingerprint !== fingerprint) return this.answerReused(policy, scope, startedAt);
      return this.answerDuplicate(policy, settledFrom(existing), 'CACHE', scope, context, startedAt);
    }
    // A pending claim may belong to a request that already committed but could not record it
    // (store trouble, a crash after commit): the database knows, and its answer beats "retry later".
    const committed = await policy.findCommitted(scope, context);
    if (committed) {
      await this.attempt('remember', () => this.store.remember(scope, completedClaim(committed), this.options.retentionMs));
      if (committed.fingerprint !== fingerprint) return this.answerReused(policy, scope, startedAt);
      return this.answerDuplicate(policy, committed, 'DATABASE', scope, context, startedAt);
    }
    const leaseLeftMs = existing.claimedAt + this.options.leaseMs - Date.now();
    this.record('in_progress', startedAt);
    return policy.inProgress(scope, Math.max(1, Math.min(this.options.retryAfterMs, leaseLeftMs)));
  }

  private async answerDuplicate<TContext, TResult>(
    policy: IdempotencyPolicy<unknown, TContext, TResult>,
    resource: SettledResource,
    source: DetectionSource,
    scope: ClaimScope,
    context: TContext,
    startedAt: number,
  ): Promise<TResult | undefined> {
    const answer = await policy.duplicate(resource, source, scope, context);
    if (answer === null) return undefined;
    this.record('duplicate', startedAt, source);
    return answer;
  }

  private answerReused<TResult>(policy: IdempotencyPolicy<unknown, unknown, TResult>, scope: ClaimScope, startedAt: number): TResult {
    this.record('reused', startedAt);
    return policy.reused(scope);
  }

  /** Runs one store call within the timeout; a failure is logged, counted and reported, never thrown. */
  private async attempt<T>(operation: string, call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreTimeout(`claim store ${operation} timed out`)), this.options.storeTimeoutMs);
    });
    try {
      return { ok: true, value: await Promise.race([call(), timeout]) };
    } catch (error) {
      this.metrics.claimStoreFallbacks.inc({ operation });
      this.logger.warn({ err: error, operation }, 'claim store call failed');
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  }

  private record(decision: IdempotencyDecision, startedAt: number, source?: DetectionSource): void {
    this.metrics.idempotencyDecisions.inc({ decision, source: source ?? '' });
    const seconds = (performance.now() - startedAt) / 1000;
    if (decision === 'duplicate') this.metrics.duplicateDetectionSeconds.observe({ source: source ?? '' }, seconds);
    this.logger.info({ decision, source, latencyMs: Math.round(seconds * 1e4) / 10 }, 'idempotency decision');
  }
}

function completedClaim(resource: SettledResource): CompletedClaim {
  return {
    state: 'completed',
    fingerprint: resource.fingerprint,
    resourceId: resource.resourceId,
    firstSeenAt: resource.firstSeenAt.getTime(),
  };
}

function settledFrom(record: CompletedClaim): SettledResource {
  return { resourceId: record.resourceId, fingerprint: record.fingerprint, firstSeenAt: new Date(record.firstSeenAt) };
}
