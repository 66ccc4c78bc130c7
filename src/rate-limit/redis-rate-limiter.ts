import type { RedisConnection } from '../db/redis';
import type { RateLimitSetting } from '../config/config';
import { verdictOf } from './rate-limiter';
import type { RateLimitVerdict, RateLimiter } from './rate-limiter';

// One atomic round trip: count, start the window on its first request, and report the time left.
// The PTTL repair covers a key that lost its expiry (e.g. restored without TTL): it must not
// limit a customer forever.
const CONSUME = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}`;

type ScriptedConnection = RedisConnection & {
  consumeRateLimit(key: string, windowMs: number): Promise<[number, number]>;
};

/** A fixed-window limiter in Redis (standalone or Cluster): one counter per subject and window. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: ScriptedConnection;

  constructor(
    redis: RedisConnection,
    /** Key prefix, e.g. `og:rl:orders`. */
    private readonly prefix: string,
    private readonly setting: RateLimitSetting,
  ) {
    redis.defineCommand('consumeRateLimit', { numberOfKeys: 1, lua: CONSUME });
    this.redis = redis as ScriptedConnection;
  }

  /** `{…}` is a Redis Cluster hash tag: a customer's counters share a slot. URI-encoding keeps `{}` out of the tag. */
  keyFor(subject: string): string {
    return `${this.prefix}:{${encodeURIComponent(subject)}}`;
  }

  async consume(subject: string): Promise<RateLimitVerdict> {
    const [count, leftMs] = await this.redis.consumeRateLimit(this.keyFor(subject), this.setting.windowMs);
    return verdictOf(count, this.setting.count, leftMs);
  }
}
