import { Redis } from 'ioredis';
import { RateLimiter } from '../../src/rate-limit/rate-limiter';
import { orderRateLimitKey } from '../../src/stores/store-keys';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis';

describe('RateLimiter in Redis (rate-limiter-flexible)', () => {
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
      await Promise.all(connections.map((connection) => connection.ping()));
      const limiters = connections.map((connection) =>
        RateLimiter.inRedis(connection, `${prefix}:a`, { count: 10, windowMs: 60_000 }),
      );
      const verdicts = await Promise.all(Array.from({ length: 50 }, (_, i) => limiters[i % 5].consume('pat')));
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
    await redis.ping();
    const limiter = RateLimiter.inRedis(redis, `${prefix}:b`, { count: 2, windowMs: 30_000 });
    const key = orderRateLimitKey(`${prefix}:b`, 'a{b}:c');
    expect(limiter.keyFor('a{b}:c')).toBe(key);
    expect(key).toBe(`${prefix}:b:rl:orders:{a%7Bb%7D%3Ac}`);
    await limiter.consume('a{b}:c');
    expect(await redis.get(key)).toBe('1');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await limiter.consume('someone-else')).toEqual({ allowed: true, remaining: 1 });
  });

  it('repairs a counter that lost its expiry instead of limiting forever', async () => {
    await redis.ping();
    const limiter = RateLimiter.inRedis(redis, `${prefix}:c`, { count: 1, windowMs: 5_000 });
    await redis.set(limiter.keyFor('quinn'), '7');
    const verdict = await limiter.consume('quinn');
    expect(verdict).toEqual({ allowed: false, retryAfterMs: 5_000 });
    expect(await redis.pttl(limiter.keyFor('quinn'))).toBeGreaterThan(0);
  });

  it('rejects (so the admission fails open) when Redis is not connected', async () => {
    const closed = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    const limiter = RateLimiter.inRedis(closed, `${prefix}:d`, { count: 1, windowMs: 5_000 });
    await expect(limiter.consume('rita')).rejects.toThrow('Redis connection is not ready');
    closed.disconnect();
  });
});

describe('RateLimiter in memory', () => {
  afterEach(() => jest.useRealTimers());

  it('counts per subject in fixed windows', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const limiter = RateLimiter.inMemory({ count: 2, windowMs: 10_000 });
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 1 });
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 0 });
    jest.advanceTimersByTime(4_000);
    expect(await limiter.consume('a')).toEqual({ allowed: false, retryAfterMs: 6_000 });
    expect(await limiter.consume('b')).toEqual({ allowed: true, remaining: 1 });
    jest.advanceTimersByTime(6_000);
    expect(await limiter.consume('a')).toEqual({ allowed: true, remaining: 1 });
  });
});
