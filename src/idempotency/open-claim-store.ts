import type { RedisConnection } from '../redis/redis-connection';
import type { Config } from '../config/config';
import { createRedisConnection, redisOptionsOf, redisReady } from '../redis/redis-connection';
import type { Logger } from '../observability/logger';
import { MemoryClaimStore, RedisClaimStore } from 'graphql-idempotency';
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
  return {
    store: new RedisClaimStore(redis, claimKeyPrefix(config.redisKeyPrefix)),
    redis,
    ready: (timeoutMs) => redisReady(redis, timeoutMs),
    async close() {
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}
