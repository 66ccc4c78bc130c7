import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { MemoryRiskFeatureStore } from '../../src/risk/memory-risk-feature-store';
import { PendingCustomerCounts } from '../../src/risk/pending-customer-counts';
import type { RiskCounts, SubjectCounters, SubjectUpdate } from '../../src/risk/risk-counters';
import type { RiskFeatureStore } from '../../src/risk/risk-feature-store';
import { RedisRiskFeatureStore } from '../../src/risk/risk-feature-store';
import { callStore } from '../../src/stores/store-call';
import type { StoreCallPolicy } from '../../src/stores/store-call';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis';

const CUSTOMER = 'c:alice';
const FLUSH_MS = 100;
const ORDER = { requests: 1, orders: 1 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Counters decay with time: equal to six decimals. */
const near = (counts: Partial<RiskCounts>) =>
  Object.fromEntries(Object.entries(counts).map(([name, value]) => [name, expect.closeTo(value, 6)]));

/** The in-memory feature store, keeping every update that reaches it. */
class RecordingStore implements RiskFeatureStore {
  readonly inner = new MemoryRiskFeatureStore();
  readonly updates: { subject: string; counts: Partial<RiskCounts> }[] = [];

  async record(subject: string, update: SubjectUpdate, now: number): Promise<SubjectCounters> {
    this.updates.push({ subject, counts: update.counts ?? {} });
    return this.inner.record(subject, update, now);
  }
}

describe("a customer's pending counts", () => {
  const policy: StoreCallPolicy = { timeoutMs: 1_000, onFailure: () => undefined };
  let store: RecordingStore;
  let pending: PendingCustomerCounts;
  beforeEach(() => {
    store = new RecordingStore();
    pending = new PendingCustomerCounts(store, policy, FLUSH_MS);
  });
  afterEach(() => pending.flush());

  const stored = async (subject = CUSTOMER) => (await store.inner.record(subject, {}, Date.now())).history;
  const countAndRead = (counts: Partial<RiskCounts>) =>
    pending.withPending(CUSTOMER, counts, (sent) =>
      callStore(policy, 'read', () => store.record(CUSTOMER, { arrivalId: randomUUID(), counts: sent }, Date.now())),
    );

  it("ride with the customer's next count-and-read, which reads them as already written", async () => {
    pending.add(CUSTOMER, { holds: 1 });
    pending.add(CUSTOMER, { requests: 1, retries: 1 });
    // Not written yet: no call to the store so far.
    expect(store.updates).toEqual([]);
    const read = await countAndRead(ORDER);
    expect(read.ok && read.value.history).toMatchObject(near({ holds: 1, retries: 1, requests: 1, orders: 0 }));
    // One call carried the attempt and the pending counts.
    expect(store.updates).toEqual([
      {
        subject: CUSTOMER,
        counts: expect.objectContaining({ requests: 2, orders: 1, holds: 1, retries: 1 }) as object,
      },
    ]);
    expect(await stored()).toMatchObject(near({ requests: 2, orders: 1, holds: 1, retries: 1 }));
    // Nothing is left to write.
    await sleep(FLUSH_MS * 2);
    expect(store.updates).toHaveLength(1);
  });

  it('are written within the flush interval when the customer does not come back, all customers in one round', async () => {
    pending.add(CUSTOMER, { holds: 1 });
    pending.add('c:bob', { overrides: 1 });
    await sleep(FLUSH_MS * 2.5);
    expect(store.updates.map((update) => update.subject).sort()).toEqual(['c:alice', 'c:bob']);
    expect(await stored()).toMatchObject(near({ holds: 1 }));
    expect(await stored('c:bob')).toMatchObject(near({ overrides: 1 }));
  });

  it('are written at shutdown (flush)', async () => {
    const slow = new PendingCustomerCounts(store, policy, 60_000);
    slow.add(CUSTOMER, { holds: 2 });
    await slow.flush();
    expect(await stored()).toMatchObject(near({ holds: 2 }));
  });
});

describe("a customer's pending counts in Redis", () => {
  const redis = new Redis(TEST_REDIS_URL);
  const prefix = uniqueRedisPrefix('pending-counts');
  afterAll(async () => {
    await deleteRedisPrefix(prefix);
    redis.disconnect();
  });

  it("are in the customer's counters after its next count-and-read and after a flush", async () => {
    const store = new RedisRiskFeatureStore(redis, prefix);
    const policy: StoreCallPolicy = { timeoutMs: 1_000, onFailure: () => undefined };
    const pending = new PendingCustomerCounts(store, policy, 60_000);
    pending.add(CUSTOMER, { holds: 1 });
    const read = await pending.withPending(CUSTOMER, ORDER, (sent) =>
      callStore(policy, 'read', () => store.record(CUSTOMER, { arrivalId: 'a-1', counts: sent }, Date.now())),
    );
    expect(read.ok && read.value.history.holds).toBeCloseTo(1, 6);
    pending.add('c:bob', { retries: 3 });
    await pending.flush();
    const after = async (subject: string) => (await store.record(subject, {}, Date.now())).history;
    expect((await after(CUSTOMER)).holds).toBeCloseTo(1, 6);
    expect((await after('c:bob')).retries).toBeCloseTo(3, 6);
  });
});
