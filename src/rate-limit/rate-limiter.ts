import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitSetting } from '../config/config';
import type { RedisConnection } from '../redis/redis-connection';
import type { RecordCall } from '../stores/admission-rider';
import { orderRateLimitKey } from '../stores/store-keys';
import { RateLimitWithRisk } from './rate-limit-with-risk';
import type { ConsumedWithRisk } from './rate-limit-with-risk';

import type { RateLimitVerdict } from './rate-limit-verdict';

export type { RateLimitVerdict };

/**
 * Counts new orders per customer in fixed windows: rate-limiter-flexible's limiters (Redis, with
 * one atomic script per request and a hash-tagged key per customer for Redis Cluster; or process
 * memory in the single-instance embedded mode) behind the one method the admission needs.
 */
export class RateLimiter {
  private constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly keyOf: (subject: string) => string,
    /** In Redis: the count with the duplicate-risk count-and-read in one call (consumeAndRecord). */
    private readonly withRisk: RateLimitWithRisk | null = null,
  ) {}

  /** In Redis (standalone or Cluster), keys `<prefix>:rl:orders:{c%3A<customer>}` (orderRateLimitKey). */
  static inRedis(
    redis: RedisConnection,
    prefix: string,
    setting: RateLimitSetting,
    /** The duplicate-risk count-and-read's Lua (RECORD_COUNTERS_LUA), run with the count: consumeAndRecord. */
    riderLua?: string,
  ): RateLimiter {
    // keyPrefix '' so that the key is exactly the one store-keys builds (tests and operators read it).
    const limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: '',
      points: setting.count,
      duration: windowSeconds(setting),
      rejectIfRedisNotReady: true,
    });
    const withRisk = riderLua ? new RateLimitWithRisk(redis, setting.count, windowSeconds(setting), riderLua) : null;
    return new RateLimiter(limiter, (subject) => orderRateLimitKey(prefix, subject), withRisk);
  }

  /** In this process's memory (the embedded mode). */
  static inMemory(setting: RateLimitSetting): RateLimiter {
    return new RateLimiter(
      new RateLimiterMemory({ keyPrefix: '', points: setting.count, duration: windowSeconds(setting) }),
      (subject) => subject,
    );
  }

  /** The key that counts `subject`'s requests. */
  keyFor(subject: string): string {
    return this.keyOf(subject);
  }

  /** Whether consumeAndRecord can count a risk call with the request (in Redis; not in memory). */
  get recordsRisk(): boolean {
    return this.withRisk !== null;
  }

  /**
   * consume, and when the request is within the limit, `risk` (the customer's duplicate-risk
   * count-and-read, whose keys share the rate limit key's hash tag) in the same call. Only where
   * recordsRisk; rejects when the store fails.
   */
  consumeAndRecord(subject: string, risk: RecordCall): Promise<ConsumedWithRisk> {
    if (!this.withRisk) throw new Error('this rate limiter cannot record risk counters');
    return this.withRisk.consume(this.keyOf(subject), risk);
  }

  /** Counts one request of `subject` and says whether it is within the limit. Rejects when the store fails. */
  async consume(subject: string): Promise<RateLimitVerdict> {
    try {
      const counted = await this.limiter.consume(this.keyOf(subject));
      return { allowed: true, remaining: counted.remainingPoints };
    } catch (refusal) {
      // rate-limiter-flexible rejects with the window's state when the limit is reached, and with an Error when the store fails.
      if (refusal instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, refusal.msBeforeNext) };
      throw refusal;
    }
  }
}

/** The limiters count whole seconds (the setting is `<count>/<seconds>`). */
function windowSeconds(setting: RateLimitSetting): number {
  return Math.max(1, Math.round(setting.windowMs / 1000));
}
