import { Redis } from 'ioredis';
import { RateLimiter } from '../../src/rate-limit/rate-limiter';
import { customerSubject } from '../../src/risk/risk-counters';
import { RECORD_COUNTERS_LUA, RedisRiskFeatureStore, countersFromReply } from '../../src/risk/risk-feature-store';
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
    // The tag of the customer's duplicate-risk keys (subject `c:<customer>`): one Cluster slot.
    expect(key).toBe(`${prefix}:b:rl:orders:{c%3Aa%7Bb%7D%3Ac}`);
    const riskKeys = new RedisRiskFeatureStore(redis, `${prefix}:b:risk`).keysFor(customerSubject('a{b}:c'));
    expect(riskKeys.arrivals).toBe(`${prefix}:b:risk:{c%3Aa%7Bb%7D%3Ac}:a`);
    await limiter.consume('a{b}:c');
    expect(await redis.get(key)).toBe('1');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await limiter.consume('someone-else')).toEqual({ allowed: true, remaining: 1 });
  });

  it('consumeAndRecord counts as consume does, and runs the risk count-and-read only for a request within the limit', async () => {
    await redis.ping();
    const limiter = RateLimiter.inRedis(redis, `${prefix}:d`, { count: 2, windowMs: 30_000 }, RECORD_COUNTERS_LUA);
    const store = new RedisRiskFeatureStore(redis, `${prefix}:d:risk`);
    const subject = customerSubject('rio');
    const call = (arrivalId: string) =>
      store.recordCall(subject, { arrivalId, counts: { requests: 1, orders: 1 } }, Date.now());

    const first = await limiter.consumeAndRecord('rio', call('a1'));
    expect(first.verdict).toEqual({ allowed: true, remaining: 1 });
    expect(countersFromReply(first.riskReply!).arrivals.last1m).toBe(0);
    expect(await limiter.consume('rio')).toEqual({ allowed: true, remaining: 0 });
    const refused = await limiter.consumeAndRecord('rio', call('a3'));
    expect(refused.verdict).toMatchObject({ allowed: false });
    expect(refused.riskReply).toBeNull();
    // Only the admitted attempt was counted for risk.
    const counters = await store.record(subject, {}, Date.now());
    expect(counters.arrivals.last1m).toBe(1);
    expect(counters.history.orders).toBeCloseTo(1, 6);
    expect(await redis.get(limiter.keyFor('rio'))).toBe('3');
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
