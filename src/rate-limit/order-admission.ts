import { GraphQLError } from 'graphql';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import { REDIS_NOT_CONNECTED } from '../stores/redis-scripts';
import { callStore } from '../stores/store-call';
import type { StoreCallPolicy } from '../stores/store-call';
import type { CountedAtAdmission, RecordCall } from '../stores/admission-rider';
import type { ConsumedWithRisk } from './rate-limit-with-risk';
import type { RateLimitVerdict } from './rate-limit-verdict';
import type { RateLimiter } from './rate-limiter';

/** A request about to create something new, as the idempotency guard hands it over. */
export interface NewOrderAttempt {
  customerId: string;
  key: string;
  logger: Logger;
  /** Whether the request is in fact a repeat the idempotency layer answers without a new order. */
  isRepeat(): Promise<boolean>;
  /**
   * The customer's duplicate-risk count-and-read, to run in the limiter's call if the request is
   * within the limit (DuplicateRiskScoring.admissionCall); null or absent: none.
   */
  risk?: RecordCall | null;
}

/**
 * The per-customer limit on new orders. It is asked only for requests that will create something
 * (a fresh claim, or running unclaimed): repeats answered by the idempotency layer never reach it,
 * so a retry storm keeps getting its original order back. It fails open: when Redis is down the
 * database still guarantees one order per key, so turning customers away would gain nothing.
 */
export class OrderAdmission {
  private readonly limiterCalls: StoreCallPolicy;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly metrics: Metrics,
    /** How long one limiter call may take before the order is admitted unchecked (ms). */
    timeoutMs: number,
    logger: Logger,
  ) {
    const warn = throttledWarning(logger, 'rate limiter unavailable: admitting orders unchecked');
    this.limiterCalls = {
      timeoutMs,
      onFailure(_operation, error) {
        metrics.rateLimiterFailures.inc();
        warn({ err: error });
      },
    };
  }

  /**
   * Resolves when the order may go ahead; throws RATE_LIMITED (HTTP 429) when it may not. Resolves
   * with the risk call's outcome when the limiter ran `attempt.risk` with its count (the request
   * was within the limit, or the call failed), undefined when it did not (risk then counts itself).
   */
  async admit(attempt: NewOrderAttempt): Promise<CountedAtAdmission | undefined> {
    const { risk } = attempt;
    if (risk && this.limiter.recordsRisk) {
      const sentAt = performance.now();
      let call: Promise<ConsumedWithRisk> | undefined;
      const counted = await callStore(
        this.limiterCalls,
        'consume',
        () => (call = this.limiter.consumeAndRecord(attempt.customerId, risk)),
      );
      const tookMs = performance.now() - sentAt;
      // Not sent (the limiter's connection is down, the claims' may not be): risk counts itself.
      if (!counted.ok && counted.error === REDIS_NOT_CONNECTED) return undefined;
      // Whether the risk count ran, known once the call answers: past the budget it still may.
      const ran = call
        ? call.then(
            (answer) => answer.verdict.allowed && answer.riskReply !== null,
            () => false,
          )
        : Promise.resolve(false);
      if (!counted.ok) return { reply: null, tookMs, counted: ran };
      const { verdict, riskReply } = counted.value;
      if (verdict.allowed) return { reply: riskReply, tookMs, counted: ran };
      await this.refuse(attempt, verdict);
      // A repeat the limit let through: its risk call did not run, risk counts it as today.
      return undefined;
    }
    const counted = await callStore(this.limiterCalls, 'consume', () => this.limiter.consume(attempt.customerId));
    if (counted.ok && !counted.value.allowed) await this.refuse(attempt, counted.value);
    return undefined;
  }

  /** Throws RATE_LIMITED, unless the request is a repeat after all. */
  private async refuse(attempt: NewOrderAttempt, verdict: RateLimitVerdict & { allowed: false }): Promise<void> {
    // A fresh claim is not always a new order: the claim store forgets keys after their retention
    // (the database does not), and a one-time order token can repeat under new keys. Asked only on
    // refusal, so the common path pays nothing.
    if (await attempt.isRepeat()) return;
    this.metrics.rateLimitedOrders.inc();
    attempt.logger.info(
      { customerId: attempt.customerId, idempotencyKey: attempt.key, retryAfterMs: verdict.retryAfterMs },
      'new order rate-limited',
    );
    throw rateLimited(verdict.retryAfterMs);
  }
}

function rateLimited(retryAfterMs: number): GraphQLError {
  // Apollo Server reads `http.headers` as a Map; GraphQL Yoga's typings (the package's tests load
  // them into this program) declare a record there, so the extensions are typed loosely.
  const extensions: Record<string, unknown> = {
    code: 'RATE_LIMITED',
    retryAfterMs,
    http: { status: 429, headers: new Map([['retry-after', String(Math.ceil(retryAfterMs / 1000))]]) },
  };
  return new GraphQLError('Too many new orders: retry later with the same idempotency key.', { extensions });
}
