import { Redis } from 'ioredis';
import type { Logger } from '../observability/logger';

/** Options of the Redis connection. */
export interface RedisOptions {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** A command not answered within this many milliseconds fails (the caller falls back). */
  commandTimeoutMs: number;
}

/**
 * A Redis connection tuned for a cache that must never hold requests up: while disconnected,
 * commands fail at once instead of queueing, and reconnection goes on in the background.
 */
export function createRedisClient(options: RedisOptions, logger: Logger): Redis {
  const redis = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
  });
  let lastLoggedAt = 0;
  redis.on('error', (error: Error) => {
    // A Redis outage emits an error per reconnect attempt: log at most one a second.
    if (Date.now() - lastLoggedAt < 1_000) return;
    lastLoggedAt = Date.now();
    logger.warn({ err: error }, 'redis connection error');
  });
  return redis;
}

/** Resolves true once the connection is ready, false if it is not within `timeoutMs`. */
export function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = () => finish(true);
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    redis.once('ready', onReady);
  });
}
