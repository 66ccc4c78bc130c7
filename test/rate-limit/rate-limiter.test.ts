import { Redis } from 'ioredis';
import { MemoryRateLimiter } from '../../src/rate-limit/memory-rate-limiter';
import { RedisRateLimiter } from '../../src/rate-limit/redis-rate-limiter';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis';

describe('RedisRateLimiter', () => {
  const prefix = uniqueRedisPrefix('rate-limiter');
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteRedisPrefix(prefix);
  });

  it('admits exactly `count` of 50 concurrent requests, on any number of connections', async () => {
    const connections = Array.from({ length: 5 }, () => new Redis(TEST_REDIS_URL));
    try {
      const limiters = connections.map((connection) => new RedisRateLimiter(connection, `${prefix}:a`, { count: 10, windowMs: 60_000 }));
      const verdicts = await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % 5]!.consume('pat')));
      expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(10);
      const refused = verdicts.filter((verdict) => !verdict.allowed) as { retryAfterMs: number }[];
      expect(refused).toHaveLength(40);
      for (const verdict of refused) expect(verdict.retryAfterMs).toBeGreaterThan(0);
      for (const verdict of refused) expect(verdict.retryAfterMs).toBeLessThanOrEqual(60_000);
    } finally {
      for (const connection of connections) connection.disconnect();
    }
  });

  it('keeps one counter per customer under a Cluster hash tag, expiring with the window', async () => {
    const limiter = new RedisRateLimiter(redis, `${prefix}:b`, { count: 2, windowMs: 30_000 });
    expect(limiter.keyFor('a{b}:c')).toBe(`${prefix}:b:{a%7Bb%7D%3Ac}`);
    await limiter.consume('a{b}:c');
    expect(await redis.get(limiter.keyFor('a{b}:c'))).toBe('1');
    const ttl = await redis.pttl(limiter.keyFor('a{b}:c'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await limiter.consume('someone-else')).toEqual({ allowed: true, remaining: 1 });
  });

  it('repairs a counter that lost its expiry instead of limiting forever', async () => {
    const limiter = new RedisRateLimiter(redis, `${prefix}:c`, { count: 1, windowMs: 5_000 });
    await redis.set(limiter.keyFor('quinn'), '7');
    const verdict = await limiter.consume('quinn');
    expect(verdict).toEqual({ allowed: false, retryAfterMs: 5_000 });
    expect(await redis.pttl(limiter.keyFor('quinn'))).toBeGreaterThan(0);
  });
});

describe('MemoryRateLimiter', () => {
  it('counts per subject in fixed windows', async () => {
    let now = 1_000;
    const limiter = new MemoryRateLimiter({ count: 2, windowMs: 10_000 }, () => now);
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 0 });
    now += 4_000;
    expect(await limiter.consume('a')).toEqual({ allowed: false, retryAfterMs: 6_000 });
    expect(await limiter.consume('b')).toEqual({ allowed: true, remaining: 1 });
    now += 6_000;
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 1 });
  });
});
