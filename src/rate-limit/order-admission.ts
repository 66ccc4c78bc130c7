import { GraphQLError } from 'graphql';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { callStore } from '../stores/store-call';
import type { StoreCallPolicy } from '../stores/store-call';
import type { RateLimiter } from './rate-limiter';

/** A request about to create something new, as the idempotency guard hands it over. */
export interface NewOrderAttempt {
  customerId: string;
  key: string;
  logger: Logger;
  /** Whether the request is in fact a repeat the idempotency layer answers without a new order. */
  isRepeat(): Promise<boolean>;
}

/**
 * The per-customer limit on new orders. It is asked only for requests that will create something
 * (a fresh claim, or running unclaimed): repeats answered by the idempotency layer never reach it,
 * so a retry storm keeps getting its original order back. It fails open: when Redis is down the
 * database still guarantees one order per key, so turning customers away would gain nothing.
 */
export class OrderAdmission {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly metrics: Metrics,
    /** How long one limiter call may take before the order is admitted unchecked (ms). */
    private readonly timeoutMs: number,
  ) {}

  /** Resolves when the order may go ahead; throws RATE_LIMITED (HTTP 429) when it may not. */
  async admit(attempt: NewOrderAttempt): Promise<void> {
    const policy: StoreCallPolicy = {
      timeoutMs: this.timeoutMs,
      onFailure: (_operation, error) => {
        this.metrics.rateLimiterFailures.inc();
        attempt.logger.warn({ err: error, customerId: attempt.customerId }, 'rate limiter unavailable: admitting the order');
      },
    };
    const counted = await callStore(policy, 'consume', () => this.limiter.consume(attempt.customerId));
    if (!counted.ok) return;
    const verdict = counted.value;
    if (verdict.allowed) return;
    // A fresh claim is not always a new order: the claim store forgets keys after their retention
    // (the database does not), and a one-time order token can repeat under new keys. Asked only on
    // refusal, so the common path pays nothing.
    if (await attempt.isRepeat()) return;
    this.metrics.rateLimitedOrders.inc();
    attempt.logger.info({ customerId: attempt.customerId, idempotencyKey: attempt.key, retryAfterMs: verdict.retryAfterMs }, 'new order rate-limited');
    throw rateLimited(verdict.retryAfterMs);
  }
}

function rateLimited(retryAfterMs: number): GraphQLError {
  return new GraphQLError('Too many new orders: retry later with the same idempotency key.', {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfterMs,
      http: { status: 429, headers: new Map([['retry-after', String(Math.ceil(retryAfterMs / 1000))]]) },
    },
  });
}
