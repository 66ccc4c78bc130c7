import type { RedisConnection, RedisReadiness } from '../redis/redis-connection';
import type { Config } from '../config/config';
import { Redis } from 'ioredis';
import { createRedisConnection, redisOptionsOf, redisReadiness } from '../redis/redis-connection';
import { connectionStateOf } from '../redis/redis-connection-watch';
import { connectionErrorDetails, redisOutageReport } from '../redis/redis-outage-log';
import { refusalCause } from '../redis/redis-refusal';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledWarning } from '../observability/throttled-log';
import { MemoryClaimStore, RedisClaimStore, TrackedNearCacheClaimStore } from 'graphql-idempotency';
import type { ClaimStore } from 'graphql-idempotency';
import { claimKeyPrefix } from '../stores/store-keys';

/** The claim store of the configured mode and what it holds open. */
export interface OpenClaimStore {
  readonly store: ClaimStore;
  /** The Redis connection in the servers mode; undefined in the embedded mode (claims in memory). */
  readonly redis: RedisConnection | undefined;
  /**
   * `ready` once the store takes claims (Redis connected), `unavailable` if not within `timeoutMs`
   * (ms), or Redis's refusal of the settings (a configuration error, not an outage).
   */
  ready(timeoutMs: number): Promise<RedisReadiness>;
  close(): Promise<void>;
}

/**
 * Redis in the servers mode; this process's memory in the embedded mode, which is correct for
 * one instance only (a second instance would not see the first one's claims). `metrics`, when
 * given, counts Redis's refusals of the settings (a command-line tool has none).
 */
export function openClaimStore(config: Config, logger: Logger, metrics?: Metrics): OpenClaimStore {
  if (config.mode.kind === 'embedded') {
    return {
      store: new MemoryClaimStore(),
      redis: undefined,
      ready: () => Promise.resolve('ready'),
      close: () => Promise.resolve(),
    };
  }
  const redis = createRedisConnection(redisOptionsOf(config.mode, config.redisTimeoutMs), logger, metrics);
  const claims = new RedisClaimStore(redis, claimKeyPrefix(config.redisKeyPrefix));
  const closing = { now: false };
  const tracked =
    config.redisClientTracking && redis instanceof Redis
      ? trackedNearCache(claims, redis, { logger, metrics }, closing)
      : null;
  return {
    store: tracked?.store ?? claims,
    redis,
    ready: (timeoutMs) => redisReadiness(redis, timeoutMs),
    async close() {
      // A connection closed while it was still connecting (a command-line tool that opened the
      // store and is done at once: npm run dedupe -- merge) reports "Stream isn't writeable" from
      // its ready check: an error of our own closing, not news. It was logged as a Redis
      // connection error, with its stack, after a run that went well (found from outside).
      closing.now = true;
      for (const connection of [redis, ...(tracked?.connections ?? [])]) closingQuietly(connection);
      tracked?.store.close();
      await redis.quit().catch(() => undefined);
      redis.disconnect();
    },
  };
}

/** From now on the connection's errors are not logged (an 'error' listener stays: none would crash the process). */
function closingQuietly(connection: RedisConnection): void {
  connection.removeAllListeners('error');
  connection.on('error', () => undefined);
}

/**
 * The claims with a near cache of completed ones that Redis keeps true (CLIENT TRACKING): a repeat
 * sent again is confirmed without a round trip, and a claim rewritten by any instance (an order
 * that changed) is forgotten by every instance as Redis takes the write. Two more connections,
 * made like the claims' own: the tracked reader, and the subscriber its invalidations go to.
 */
function trackedNearCache(
  claims: RedisClaimStore,
  redis: Redis,
  { logger, metrics }: { logger: Logger; metrics: Metrics | undefined },
  closing: { readonly now: boolean },
): { store: TrackedNearCacheClaimStore; connections: Redis[] } {
  const warn = throttledWarning(
    logger,
    'redis client tracking: connection error (repeats confirmed in Redis meanwhile)',
  );
  const reader = redis.duplicate();
  const subscriber = redis.duplicate({ autoResubscribe: false, enableAutoPipelining: false });
  // A refusal of the settings (a rotated password) is the claims' connection's to log, as an
  // error naming REDIS_URL: these two share its URL and would only repeat it as an outage. An
  // outage is reported with the claims' connection's, as one line for all.
  const reportOutage = redisOutageReport(logger);
  const setting = connectionStateOf(redis)?.setting ?? 'REDIS_URL';
  const onConnectionError = (error: Error) => {
    if (!refusalCause(error, false)) reportOutage(setting, error, metrics);
  };
  for (const connection of [reader, subscriber]) connection.on('error', onConnectionError);
  const store = new TrackedNearCacheClaimStore(
    claims,
    { reader, subscriber },
    // A set-up under way when the store closes fails on its closed connections: not news either.
    { onTrackingError: (error) => (closing.now ? undefined : warn(connectionErrorDetails(error))) },
  );
  return { store, connections: [reader, subscriber] };
}
