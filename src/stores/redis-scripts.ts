import { REDIS_NOT_CONNECTED, withCompareAndSet } from 'graphql-idempotency';
import type { CompareAndSetCommands, StoreScript } from 'graphql-idempotency';
import type { RedisConnection } from '../redis/redis-connection';

// The compare-and-set scripts (Lua) live in graphql-idempotency, whose claim store needs them first;
// Order Gate's other Redis stores (order tokens, risk counters) use the same ones.
export { REDIS_NOT_CONNECTED };
export type { CompareAndSetCommands, StoreScript };

/**
 * Defines the shared compare-and-set scripts, and any store-specific ones, as commands of this
 * connection (ioredis sends EVALSHA and falls back to EVAL; a Cluster routes by the first key).
 * Defining a command twice is harmless, so every store calls this for what it needs.
 */
export function withStoreScripts<TExtra extends object = object>(
  redis: RedisConnection,
  extra: Record<string, StoreScript> = {},
): RedisConnection & CompareAndSetCommands & TExtra {
  return withCompareAndSet<TExtra>(redis, extra);
}

/**
 * Fails at once, without building a command or an error, while the connection is down (ioredis
 * would reject the command too, having built both): with Redis gone, every request pays this.
 */
export function assertConnected(redis: RedisConnection): void {
  if (redis.status !== 'ready') throw REDIS_NOT_CONNECTED;
}
