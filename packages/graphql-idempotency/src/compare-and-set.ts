import type { Cluster, Redis } from 'ioredis';

/** A Redis connection: one server, or a Cluster (ioredis). */
export type RedisLike = Redis | Cluster;

/** A Lua script run as one atomic command on the key it names. */
export interface StoreScript {
  /** Keys the script takes (all in one hash slot). */
  numberOfKeys: number;
  lua: string;
}

// Compare-and-set: the new value goes in only while the key still holds exactly `expected`, so a
// request whose lease expired and was taken over never overwrites the new owner's value.
// `ttlMs` 0 keeps the key's expiry (KEEPTTL), anything else sets it.
export const REPLACE_IF_EQUALS: StoreScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '0' then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1`,
};

// Compare-and-delete, for the same reason.
export const DELETE_IF_EQUALS: StoreScript = {
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
};

// A claim's completion: the completed record goes in while the key still holds the owner's own
// pending claim, or holds nothing (its lease ran out and nobody claimed it since: nobody else runs
// it, since whoever runs it holds a claim). Never over another record. Always with its expiry.
export const COMPLETE_IF_OWN_OR_FREE: StoreScript = {
  numberOfKeys: 1,
  lua: `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`,
};

/** The compare-and-set commands the Redis claim store uses. */
export interface CompareAndSetCommands {
  /** 1 when `key` held `expected` and now holds `next` (expiry `ttlMs`, or kept when 0), else 0. */
  replaceIfEquals(key: string, expected: string, next: string, ttlMs: number): Promise<number>;
  /** 1 when `key` held `expected` and is now gone, else 0. */
  deleteIfEquals(key: string, expected: string): Promise<number>;
}

/**
 * Defines the compare-and-set scripts, and any extra ones, as commands of this connection (ioredis
 * sends EVALSHA and falls back to EVAL; a Cluster routes by the first key). Defining a command twice
 * is harmless, so every store calls this for what it needs.
 */
export function withCompareAndSet<TExtra extends object = object>(
  redis: RedisLike,
  extra: Record<string, StoreScript> = {},
): RedisLike & CompareAndSetCommands & TExtra {
  const scripts: Record<string, StoreScript> = {
    replaceIfEquals: REPLACE_IF_EQUALS,
    deleteIfEquals: DELETE_IF_EQUALS,
    ...extra,
  };
  for (const [name, script] of Object.entries(scripts)) {
    if (!(name in redis)) redis.defineCommand(name, script);
  }
  return redis as RedisLike & CompareAndSetCommands & TExtra;
}
