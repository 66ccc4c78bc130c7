import type { Config } from '../config/config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { createRedisConnection, redisOptionsOf } from '../redis/redis-connection';
import { OrderAdmission } from './order-admission';
import { RateLimiter } from './rate-limiter';

/** The order rate limit of the configured mode and what it holds open. */
export interface OpenOrderAdmission {
  admission: OrderAdmission;
  close(): Promise<void>;
}

/**
 * In the servers mode, Redis on a connection of its own, so that a burst of limiter calls never
 * queues behind claims (and the reverse), with its own budget (ORDER_RATE_LIMIT_TIMEOUT_MS): a
 * limiter that times out fails open, so its budget is generous. In the embedded (single-instance)
 * mode, process memory.
 */
export function openOrderAdmission(
  config: Config,
  metrics: Metrics,
  logger: Logger,
  /** The duplicate-risk count-and-read's Lua, run within the limiter's call (RateLimiter.inRedis). */
  riderLua?: string,
): OpenOrderAdmission {
  if (config.mode.kind === 'embedded') {
    return {
      admission: new OrderAdmission(
        RateLimiter.inMemory(config.orderRateLimit),
        metrics,
        config.orderRateLimitTimeoutMs,
        logger,
      ),
      close: () => Promise.resolve(),
    };
  }
  const redis = createRedisConnection(redisOptionsOf(config.mode, config.orderRateLimitTimeoutMs), logger, metrics);
  const limiter = RateLimiter.inRedis(redis, config.redisKeyPrefix, config.orderRateLimit, riderLua);
  return {
    admission: new OrderAdmission(limiter, metrics, config.orderRateLimitTimeoutMs, logger),
    async close() {
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}
