import type { RedisConnection } from '../redis/redis-connection';
import type { Config } from '../config/config';
import { Redis } from 'ioredis';
import { createRedisConnection, redisOptionsOf, redisReady } from '../redis/redis-connection';
import type { Logger } from '../observability/logger';
import { throttledWarning } from '../observability/throttled-log';
import { MemoryClaimStore, RedisClaimStore, TrackedNearCacheClaimStore } from 'graphql-idempotency';
import type { ClaimStore } from 'graphql-idempotency';
import { claimKeyPrefix } from '../stores/store-keys';

/** The claim store of the configured mode and what it holds open. */
export interface OpenClaimStore {
  readonly store: ClaimStore;
  /** The Redis connection in the servers mode; undefined in the embedded mode (claims in memory). */
  readonly redis: RedisConnection | undefined;
  /** True once the store takes claims (Redis connected), false if not within `timeoutMs` (ms). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Redis in the servers mode; this process's memory in the embedded mode, which is correct for
 * one instance only (a second instance would not see the first one's claims).
 */
export function openClaimStore(config: Config, logger: Logger): OpenClaimStore {
  if (config.mode.kind === 'embedded') {
    return {
      store: new MemoryClaimStore(),
      redis: undefined,
      ready: () => Promise.resolve(true),
      close: () => Promise.resolve(),
    };
  }
  const redis = createRedisConnection(redisOptionsOf(config.mode, config.redisTimeoutMs), logger);
  const claims = new RedisClaimStore(redis, claimKeyPrefix(config.redisKeyPrefix));
  const tracked = config.redisClientTracking && redis instanceof Redis ? trackedNearCache(claims, redis, logger) : null;
  return {
    store: tracked ?? claims,
    redis,
    ready: (timeoutMs) => redisReady(redis, timeoutMs),
    async close() {
      tracked?.close();
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}

/**
 * The claims with a near cache of completed ones that Redis keeps true (CLIENT TRACKING): a repeat
 * sent again is confirmed without a round trip, and a claim rewritten by any instance (an order
 * that changed) is forgotten by every instance as Redis takes the write. Two more connections,
 * made like the claims' own: the tracked reader, and the subscriber its invalidations go to.
 */
function trackedNearCache(claims: RedisClaimStore, redis: Redis, logger: Logger): TrackedNearCacheClaimStore {
  const warn = throttledWarning(
    logger,
    'redis client tracking: connection error (repeats confirmed in Redis meanwhile)',
  );
  const reader = redis.duplicate();
  const subscriber = redis.duplicate({ autoResubscribe: false, enableAutoPipelining: false });
  for (const connection of [reader, subscriber]) connection.on('error', (error: Error) => warn({ err: error }));
  return new TrackedNearCacheClaimStore(
    claims,
    { reader, subscriber },
    { onTrackingError: (error) => warn({ err: error }) },
  );
}
