import { Redis } from 'ioredis';
import { MemoryRiskFeatureStore } from '../../src/risk/memory-risk-feature-store';
import { RedisRiskFeatureStore, recordOrderAttempt } from '../../src/risk/risk-feature-store';
import {
  DEFAULT_RISK_FEATURE_STORE_OPTIONS,
  RISK_COUNTER_NAMES,
  customerSubject,
  sourceSubject,
} from '../../src/risk/risk-counters';
import { RISK_FEATURE_NAMES, riskFeatures } from '../../src/risk/risk-features';
import type { RiskFeatureName } from '../../src/risk/risk-features';
import type { RiskFeatureStore } from '../../src/risk/risk-feature-store';
import type { SubjectUpdate } from '../../src/risk/risk-counters';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis';

const NOW = Date.UTC(2026, 10, 1, 12);
const CONNECTIONS = 8;
const CONCURRENT = 400;

describe('risk feature store on Redis', () => {
  const prefix = uniqueRedisPrefix('risk');
  const connections = Array.from({ length: CONNECTIONS }, () => new Redis(TEST_REDIS_URL));
  const stores = connections.map((redis) => new RedisRiskFeatureStore(redis, prefix));
  const admin = connections[0];

  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    connections.forEach((redis) => redis.disconnect());
  });

  it('counts 400 concurrent arrivals from 8 connections exactly: each sees a different count before it, all are counted', async () => {
    const subject = customerSubject('storm');
    const updates = Array.from({ length: CONCURRENT }, (_, i): SubjectUpdate => ({
      arrivalId: `request-${i}`,
      counts: { requests: 1, orders: 1, ...(i % 3 === 0 ? { retries: 1 } : {}) },
    }));
    const answers = await Promise.all(updates.map((update, i) => stores[i % CONNECTIONS].record(subject, update, NOW)));

    const seen = (values: number[]) => [...values].sort((a, b) => a - b);
    const upTo = Array.from({ length: CONCURRENT }, (_, i) => i);
    expect(seen(answers.map((answer) => answer.arrivals.last1m))).toEqual(upTo);
    expect(seen(answers.map((answer) => answer.recent.requests))).toEqual(upTo);
    expect(seen(answers.map((answer) => answer.history.orders))).toEqual(upTo);

    const after = await stores[0].record(subject, {}, NOW);
    expect(after.arrivals).toEqual({ last1m: CONCURRENT, last10m: CONCURRENT, last60m: CONCURRENT });
    expect(after.recent.requests).toBe(CONCURRENT);
    expect(after.recent.retries).toBe(Math.ceil(CONCURRENT / 3));
    expect(after.history.orders).toBe(CONCURRENT);
    expect(await admin.zcard(stores[0].keysFor(subject).arrivals)).toBe(CONCURRENT);

    const features = riskFeatures({
      customer: after,
      source: after,
      candidate: { similarity: 1, equivalent: true, msSinceCandidate: 0 },
    });
    expect(feature(features, 'customer_orders_1m')).toBe(Math.log1p(CONCURRENT));
    expect(feature(features, 'customer_retry_rate')).toBe((Math.ceil(CONCURRENT / 3) + 0.5) / (CONCURRENT + 2));
  });

  it('counts a customer and a source at once for each attempt, concurrently', async () => {
    const subjects = { customer: customerSubject('alice'), source: sourceSubject('MARKETPLACE', 'quickcart') };
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => recordOrderAttempt(stores[i % CONNECTIONS], subjects, `a-${i}`, NOW)),
    );
    const customer = await stores[1].record(subjects.customer, {}, NOW);
    const source = await stores[2].record(subjects.source, {}, NOW);
    expect([
      customer.arrivals.last60m,
      customer.recent.orders,
      source.arrivals.last60m,
      source.history.requests,
    ]).toEqual([100, 100, 100, 100]);
  });

  it('answers the same sliding windows and decayed counters as the in-memory store', async () => {
    const subject = sourceSubject('POS', 'store-1');
    const memory = new MemoryRiskFeatureStore();
    const script: [number, SubjectUpdate][] = [
      [NOW - 2 * 3_600_000, { arrivalId: 'old', counts: { orders: 1, confirmedDuplicates: 8 } }],
      [NOW - 30 * 60_000, { arrivalId: 'half-hour', counts: { orders: 1, holds: 1 } }],
      [NOW - 5 * 60_000, { arrivalId: 'five-minutes', counts: { orders: 1, overrides: 1 } }],
      [NOW - 30_000, { arrivalId: 'thirty-seconds', counts: { orders: 1, retries: 2 } }],
      [NOW, {}],
    ];
    const fromRedis = await replay(stores[3], subject, script);
    const fromMemory = await replay(memory, subject, script);
    expect(fromRedis.at(-1)!.arrivals).toEqual({ last1m: 1, last10m: 2, last60m: 3 });
    const candidate = { similarity: 0.9, equivalent: false, msSinceCandidate: 90_000 };
    const featuresFromRedis = riskFeatures({ customer: fromRedis.at(-1)!, source: fromRedis.at(-1)!, candidate });
    const featuresFromMemory = riskFeatures({ customer: fromMemory.at(-1)!, source: fromMemory.at(-1)!, candidate });
    featuresFromRedis.forEach((value, i) => expect(value).toBeCloseTo(featuresFromMemory[i], 12));
    fromRedis.forEach((answer, i) => {
      expect(answer.arrivals).toEqual(fromMemory[i].arrivals);
      for (const horizon of ['recent', 'history'] as const) {
        for (const [name, value] of Object.entries(answer[horizon]))
          expect(value).toBeCloseTo(fromMemory[i][horizon][name as 'orders'], 9);
      }
    });
    // Two hours at a one-hour half-life: 8 → 2 recent; a week's half-life barely moves history.
    expect(fromRedis.at(-1)!.recent.confirmedDuplicates).toBeCloseTo(2, 9);
    expect(fromRedis.at(-1)!.history.confirmedDuplicates).toBeCloseTo(8 * 2 ** (-2 / (7 * 24)), 9);
  });

  it('applies an update it is not asked to answer (add) as record does, and answers nothing', async () => {
    const subject = customerSubject('counted-only');
    const memory = new MemoryRiskFeatureStore();
    const updates: [number, SubjectUpdate][] = [
      [NOW - 20 * 60_000, { arrivalId: 'first', counts: { requests: 1, orders: 1 } }],
      [NOW - 10 * 60_000, { counts: { holds: 1 } }],
      [NOW - 5 * 60_000, { arrivalId: 'second', counts: { requests: 1, orders: 1, overrides: 1 } }],
      [NOW - 60_000, { counts: { requests: 1, retries: 1 } }],
    ];
    for (const [at, update] of updates) {
      expect(await stores[4].add(subject, update, at)).toBeUndefined();
      await memory.add(subject, update, at);
    }
    const [fromRedis] = await replay(stores[4], subject, [[NOW, {}]]);
    const [fromMemory] = await replay(memory, subject, [[NOW, {}]]);
    expect(fromRedis.arrivals).toEqual({ last1m: 0, last10m: 1, last60m: 2 });
    expect(fromRedis.arrivals).toEqual(fromMemory.arrivals);
    for (const horizon of ['recent', 'history'] as const)
      for (const [name, value] of Object.entries(fromRedis[horizon]))
        expect(value).toBeCloseTo(fromMemory[horizon][name as 'orders'], 9);
    // Ten minutes at the history half-life (a week).
    expect(fromRedis.history.holds).toBeCloseTo(2 ** (-10 / (7 * 24 * 60)), 9);
    // Counts without an arrival leave the sorted set of arrivals alone: an arrival two hours old, past
    // the windows, is trimmed only by the next call that counts or reads the windows.
    const countedOnly = customerSubject('counted-later');
    await stores[4].record(countedOnly, { arrivalId: 'long-ago' }, NOW - 2 * 3_600_000);
    await stores[4].add(countedOnly, { counts: { retries: 1 } }, NOW);
    expect(await admin.zcard(stores[4].keysFor(countedOnly).arrivals)).toBe(1);
    await stores[4].record(countedOnly, {}, NOW);
    expect(await admin.zcard(stores[4].keysFor(countedOnly).arrivals)).toBe(0);
  });

  it('takes a withdrawn attempt back as the in-memory store does: its arrival leaves the windows, its counts are subtracted', async () => {
    const subject = customerSubject('withdrawn');
    const memory = new MemoryRiskFeatureStore();
    for (const store of [stores[0], memory]) {
      await store.add(subject, { arrivalId: 'kept', counts: { requests: 1, orders: 1 } }, NOW);
      await store.add(subject, { arrivalId: 'refused', counts: { requests: 1, orders: 1 } }, NOW + 1_000);
      await store.add(subject, { withdrawnArrivalId: 'refused', counts: { requests: -1, orders: -1 } }, NOW + 2_000);
    }
    const redisAfter = await stores[0].record(subject, {}, NOW + 3_000);
    expect(redisAfter.arrivals).toEqual({ last1m: 1, last10m: 1, last60m: 1 });
    expect(redisAfter.history.orders).toBeCloseTo(1, 5);
    // Decayed: the withdrawal subtracts a second after the add, leaving a sliver (2e-4 over an hour's half-life).
    expect(redisAfter.recent.requests).toBeCloseTo(1, 2);
    const memoryAfter = await memory.record(subject, {}, NOW + 3_000);
    expect(memoryAfter.arrivals).toEqual(redisAfter.arrivals);
    expect(memoryAfter.recent.requests).toBeCloseTo(redisAfter.recent.requests, 12);
    expect(memoryAfter.history.orders).toBeCloseTo(redisAfter.history.orders, 12);
  });

  it('keeps memory bounded: both keys expire, and arrivals beyond the bound are trimmed', async () => {
    const bounded = new RedisRiskFeatureStore(admin, prefix, { maxArrivals: 50 });
    const subject = customerSubject('bot-7');
    for (let i = 0; i < 120; i++) await bounded.record(subject, { arrivalId: `burst-${i}` }, NOW + i);
    const keys = bounded.keysFor(subject);
    expect(await admin.zcard(keys.arrivals)).toBe(50);
    const arrivalsTtl = await admin.pttl(keys.arrivals);
    const countersTtl = await admin.pttl(keys.counters);
    expect(arrivalsTtl).toBeGreaterThan(0);
    expect(arrivalsTtl).toBeLessThanOrEqual(3_600_000);
    expect(countersTtl).toBeGreaterThan(3_600_000);
    expect(countersTtl).toBeLessThanOrEqual(DEFAULT_RISK_FEATURE_STORE_OPTIONS.countersTtlMs);
  });

  it("sends its calls as they are made on an auto-pipelined connection, and leaves the connection's other commands pipelined", async () => {
    const pipelined = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
    const untouched = new Redis(TEST_REDIS_URL, { enableAutoPipelining: true });
    try {
      const store = new RedisRiskFeatureStore(pipelined, prefix);
      new RedisRiskFeatureStore(pipelined, prefix); // a second store on the connection changes nothing
      await pipelined.ping();
      const subject = customerSubject('sent-when-called');
      const calls = [store.record(subject, { arrivalId: 'a' }, NOW), store.add(subject, { counts: { holds: 1 } }, NOW)];
      // Nothing waits in the connection's auto-pipeline: both calls were written as they were made.
      expect(pipelined.autoPipelineQueueSize).toBe(0);
      const other = pipelined.get(`${prefix}:other`);
      expect(pipelined.autoPipelineQueueSize).toBe(1);
      await Promise.all([...calls, other]);
      expect((await store.record(subject, {}, NOW)).recent.holds).toBe(1);
      // The list of commands sent as called is the store's connection's own, not ioredis's shared default.
      expect(pipelined.options.autoPipeliningIgnoredCommands).toEqual(['recordRiskCounters']);
      expect(untouched.options.autoPipeliningIgnoredCommands).toEqual([]);
    } finally {
      pipelined.disconnect();
      untouched.disconnect();
    }
  });

  it("puts a subject's keys under one Cluster hash tag, with braces in the subject kept out of it", () => {
    const keys = stores[0].keysFor('c:{evil}');
    const tag = (key: string) => key.slice(key.indexOf('{') + 1, key.indexOf('}'));
    expect(tag(keys.arrivals)).toBe(tag(keys.counters));
    expect(tag(keys.arrivals)).toBe(tag(keys.legacyCounters));
    expect(tag(keys.arrivals)).toBe(encodeURIComponent('c:{evil}'));
  });

  it('reads its packed counters back as the memory store computes them, to the last bit', async () => {
    const memory = new MemoryRiskFeatureStore();
    const subject = customerSubject('exact');
    // Increments whose sums have no short decimal form, decayed over odd intervals.
    const steps: [SubjectUpdate, number][] = [
      [{ arrivalId: 'x1', counts: { requests: 1, holds: 1 } }, NOW],
      [{ counts: { retries: 3, overrides: 1 } }, NOW + 1_234],
      [{ arrivalId: 'x2', counts: { requests: 1, orders: 1 } }, NOW + 98_765],
      [{}, NOW + 4_321_001],
    ];
    for (const [update, at] of steps) {
      const [fromRedis, fromMemory] = await Promise.all([
        stores[0].record(subject, update, at),
        memory.record(subject, update, at),
      ]);
      expect(fromRedis).toEqual(fromMemory);
    }
  });

  it('reads counters written with another list of counters as none, without failing the call', async () => {
    // As versions with one counter more or one fewer would have written them: the time, then 5 for
    // every value.
    const written = (counters: number) => {
      const packed = Buffer.alloc(8 * (1 + 2 * counters));
      packed.writeDoubleLE(NOW, 0);
      for (let i = 1; i <= 2 * counters; i++) packed.writeDoubleLE(5, 8 * i);
      return packed;
    };
    for (const counters of [RISK_COUNTER_NAMES.length + 1, RISK_COUNTER_NAMES.length - 1]) {
      const subject = customerSubject(`other-layout-${counters}`);
      const keys = stores[0].keysFor(subject);
      await admin.set(keys.counters, written(counters), 'PX', 60_000);
      const read = await stores[0].record(subject, { arrivalId: 'o1', counts: { requests: 1 } }, NOW);
      expect(read.recent.requests).toBe(0);
      expect(read.history.holds).toBe(0);
      expect((await stores[0].record(subject, {}, NOW)).recent.requests).toBe(1);
    }
  });

  it('keeps the counters an earlier version left in its hash: read once, then carried on in the new key', async () => {
    const subject = customerSubject('upgraded');
    const keys = stores[0].keysFor(subject);
    // As versions before 2026-12-05 wrote them: a hash of the decay time and each counter's two values.
    await admin.hset(keys.legacyCounters, {
      at: NOW - 3_600_000,
      'r:requests': '4',
      'h:requests': '9',
      'h:holds': '2',
    });
    await admin.pexpire(keys.legacyCounters, 60_000);

    const first = await stores[0].record(subject, { arrivalId: 'u1', counts: { requests: 1 } }, NOW);
    expect(first.recent.requests).toBeCloseTo(2, 12); // an hour is the recent half-life
    expect(first.history.requests).toBeCloseTo(9 * 2 ** (-1 / 168), 12); // a week the history's
    expect(first.history.holds).toBeCloseTo(2 * 2 ** (-1 / 168), 12);
    expect(first.recent.orders).toBe(0);

    // The hash is no longer read once the new key holds the counters (what the old version writes
    // there meanwhile, during a rolling upgrade, is not counted: docs/risk.md).
    await admin.hset(keys.legacyCounters, 'r:requests', '1000');
    const second = await stores[0].record(subject, {}, NOW);
    expect(second.recent.requests).toBeCloseTo(3, 12);
    expect(await admin.pttl(keys.counters)).toBeGreaterThan(3_600_000);
  });
});

function feature(features: Float64Array, name: RiskFeatureName): number {
  return features[RISK_FEATURE_NAMES.indexOf(name)];
}

async function replay(store: RiskFeatureStore, subject: string, script: [number, SubjectUpdate][]) {
  const answers = [];
  for (const [at, update] of script) answers.push(await store.record(subject, update, at));
  return answers;
}
