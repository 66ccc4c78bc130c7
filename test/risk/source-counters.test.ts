import { MemoryRiskFeatureStore } from '../../src/risk/memory-risk-feature-store';
import type { SubjectCounters, SubjectUpdate } from '../../src/risk/risk-counters';
import type { RiskFeatureStore } from '../../src/risk/risk-feature-store';
import { SourceCounters } from '../../src/risk/source-counters';
import type { StoreCallPolicy } from '../../src/stores/store-call';

const SOURCE = 's:MARKETPLACE/quickcart';
const REFRESH_MS = 200;
const ORDER = { requests: 1, orders: 1 };

/** The in-memory feature store, counting the calls that reach it, and failing while `down`. */
class CountingStore implements RiskFeatureStore {
  readonly inner = new MemoryRiskFeatureStore();
  calls = 0;
  down = false;

  async record(subject: string, update: SubjectUpdate, now: number): Promise<SubjectCounters> {
    this.calls += 1;
    if (this.down) throw new Error('store down');
    return this.inner.record(subject, update, now);
  }

  async add(subject: string, update: SubjectUpdate, now: number): Promise<void> {
    await this.record(subject, update, now);
  }
}

describe("a source's counters in one process", () => {
  const failures: string[] = [];
  const policy: StoreCallPolicy = { timeoutMs: 1_000, onFailure: (operation) => void failures.push(operation) };
  let store: CountingStore;
  let sources: SourceCounters;

  beforeEach(() => {
    failures.length = 0;
    store = new CountingStore();
    sources = new SourceCounters(store, { read: policy, update: policy }, REFRESH_MS);
  });
  afterEach(() => sources.flush());

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const stored = async () => (await store.inner.record(SOURCE, {}, Date.now())).history;

  it('are read once for 50 concurrent orders, each answered without itself; the 50 are written with the next refresh', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => sources.read(SOURCE, ORDER)));
    expect(store.calls).toBe(1);
    expect(answers.map((answer) => answer!.history.orders)).toEqual(Array(50).fill(0));

    await sleep(REFRESH_MS + 50);
    const next = await sources.read(SOURCE, ORDER);
    expect(store.calls).toBe(2);
    expect(next!.history.orders).toBeCloseTo(50, 4);
    expect((await stored()).orders).toBeCloseTo(50, 4);
  });

  it('write what is pending by themselves on the timer, and at flush', async () => {
    sources.add(SOURCE, { holds: 3 });
    await sleep(REFRESH_MS * 2 + 50);
    expect((await stored()).holds).toBeCloseTo(3, 4);
    sources.add(SOURCE, { retries: 2, requests: 2 });
    await sources.flush();
    expect((await stored()).retries).toBeCloseTo(2, 4);
  });

  it('keep increments through an outage and answer null only when they never read the source', async () => {
    store.down = true;
    expect(await sources.read(SOURCE, ORDER)).toBeNull();
    expect(failures).toEqual(['read']);
    store.down = false;
    const after = await sources.read(SOURCE, ORDER);
    // The first order's increments were kept and written with the next successful refresh.
    expect(after!.history.orders).toBeCloseTo(1, 4);

    store.down = true;
    await sleep(REFRESH_MS + 50);
    // Stale counters beat none: the source's rates move slowly.
    expect((await sources.read(SOURCE, ORDER))!.history.orders).toBeCloseTo(1, 4);
    store.down = false;
    await sources.flush();
    expect((await stored()).orders).toBeCloseTo(3, 4);
  });
});
