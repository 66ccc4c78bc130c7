import type { RedisConnection } from '../db/redis';
import type { Config } from '../config/config';
import { createRedisConnection, redisOptionsOf } from '../db/redis';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { MemoryRateLimiter } from './memory-rate-limiter';
import { OrderAdmission } from './order-admission';
import { RedisRateLimiter } from './redis-rate-limiter';

/** The order rate limit of the configured mode and what it holds open. */
export interface OpenOrderAdmission {
  admission: OrderAdmission;
  close(): Promise<void>;
}

/**
 * In the servers mode, Redis on a connection of its own: the limiter needs its own command timeout
 * (ORDER_RATE_LIMIT_TIMEOUT_MS, longer than REDIS_TIMEOUT_MS). It is asked right when a burst of
 * new orders keeps the event loop busy, and a timer-based 50 ms timeout then fires even when Redis
 * answered in time. A claim that times out still has the database behind it; a limiter that times
 * out fails open, so a short timeout would switch the limit off exactly during a bot burst.
 * In the embedded (single-instance) mode, process memory.
 */
export function openOrderAdmission(config: Config, metrics: Metrics, logger: Logger): OpenOrderAdmission {
  if (config.mode.kind === 'embedded') {
    return { admission: new OrderAdmission(new MemoryRateLimiter(config.orderRateLimit), metrics), close: () => Promise.resolve() };
  }
  const redis = createRedisConnection(redisOptionsOf(config.mode, config.orderRateLimitTimeoutMs), logger);
  const limiter = new RedisRateLimiter(redis, `${config.redisKeyPrefix}:rl:orders`, config.orderRateLimit);
  return {
    admission: new OrderAdmission(limiter, metrics),
    async close() {
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}
