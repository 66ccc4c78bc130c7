import type {
  ClaimRecord,
  ClaimScope,
  ClaimStore,
  CompletedClaim,
  IdempotencyEvent,
  IdempotencyPolicy,
  PendingClaim,
  SettledResource,
} from '../src';
import { IdempotencyGuard, MemoryClaimStore, NearCacheClaimStore, idempotencyHeaders, replayPolicy } from '../src';

// Pure decision logic, with an in-memory store and a toy resource: no Redis, no database.
type Answer = { kind: string; id?: string; retryAfterMs?: number };
interface Args {
  key: string;
  payload: string;
}

const request = { requestId: 'test' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function toyPolicy(committed = new Map<string, SettledResource>()): IdempotencyPolicy<Args, object, Answer> {
  return {
    operation: 'toy',
    keyArgument: 'key',
    prepare: (args) =>
      args.payload === 'invalid' ? { reject: { kind: 'rejected' } } : { scope: 'c', fingerprint: args.payload },
    outcomeOf: (answer) =>
      answer.kind === 'created'
        ? { outcome: 'created', resource: { resourceId: answer.id!, fingerprint: 'p', firstSeenAt: new Date(0) } }
        : { outcome: 'rejected' },
    findCommitted: async (scope) => committed.get(scope.key) ?? null,
    answer(answer) {
      if (answer.outcome === 'duplicate') return { kind: `duplicate/${answer.layer}`, id: answer.resource.resourceId };
      if (answer.outcome === 'in_progress') return { kind: 'in_progress', retryAfterMs: answer.retryAfterMs };
      return { kind: answer.outcome };
    },
  };
}

function guardWith(store: ClaimStore, events: IdempotencyEvent[] = []): IdempotencyGuard {
  return new IdempotencyGuard(store, {
    leaseMs: 1_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 20,
    observers: [{ onDecision: (event: IdempotencyEvent) => events.push(event) }],
    onStoreFailure: () => undefined, // these tests fail stores on purpose (store-failure-warning.test.ts: the default)
  });
}

class FailingStore implements ClaimStore {
  constructor(private readonly mode: 'throw' | 'hang') {}
  private fail(): Promise<never> {
    return this.mode === 'throw' ? Promise.reject(new Error('store down')) : new Promise<never>(() => undefined);
  }
  claim(): Promise<ClaimRecord | null> {
    return this.fail();
  }
  complete(_s: ClaimScope, _c: PendingClaim, _d: CompletedClaim): Promise<boolean> {
    return this.fail();
  }
  release(): Promise<boolean> {
    return this.fail();
  }
  remember(): Promise<void> {
    return this.fail();
  }
}

describe('IdempotencyGuard', () => {
  it('runs a new key once, then answers repeats from the store without running again', async () => {
    const events: IdempotencyEvent[] = [];
    const guard = guardWith(new MemoryClaimStore(), events);
    let runs = 0;
    const execute = async () => ({ kind: 'created', id: `order-${++runs}` });
    const first = await guard.run(toyPolicy(), { key: 'key-00001', payload: 'p' }, request, execute);
    const second = await guard.run(toyPolicy(), { key: 'key-00001', payload: 'p' }, request, execute);
    expect([first, second]).toEqual([
      { kind: 'created', id: 'order-1' },
      { kind: 'duplicate/CACHE', id: 'order-1' },
    ]);
    expect(runs).toBe(1);
    expect(events.map((e) => [e.outcome, e.claim, e.layer])).toEqual([
      ['created', 'claimed', undefined],
      ['duplicate', 'held', 'CACHE'],
    ]);
  });

  it('answers a different payload under a completed key as reused', async () => {
    const guard = guardWith(new MemoryClaimStore());
    await guard.run(toyPolicy(), { key: 'key-00002', payload: 'p' }, request, async () => ({
      kind: 'created',
      id: 'o',
    }));
    const reused = await guard.run(toyPolicy(), { key: 'key-00002', payload: 'q' }, request, async () => ({
      kind: 'created',
      id: 'x',
    }));
    expect(reused).toEqual({ kind: 'reused' });
  });

  it('answers in progress while the first request runs, with a hint no longer than the lease left', async () => {
    const guard = guardWith(new MemoryClaimStore());
    let finish!: () => void;
    const running = guard.run(
      toyPolicy(),
      { key: 'key-00003', payload: 'p' },
      request,
      () => new Promise<Answer>((resolve) => (finish = () => resolve({ kind: 'created', id: 'o' }))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const meanwhile = await guard.run(toyPolicy(), { key: 'key-00003', payload: 'p' }, request, async () => ({
      kind: 'created',
      id: 'twin',
    }));
    // The lease (1 000 ms) has almost all of it left: the configured hint (200 ms).
    expect(meanwhile).toEqual({ kind: 'in_progress', retryAfterMs: 200 });
    finish();
    expect(await running).toEqual({ kind: 'created', id: 'o' });

    // A holder that claimed 950 ms ago has at most 50 ms of its lease left: the hint is cut to that,
    // so a client retries when the lease may have lapsed, not 200 ms later.
    // The store's clock stands 950 ms into that lease, so the holder is still current however long a
    // loaded machine takes from here to the guard's check (a real clock made this test flaky).
    const claimedAt = Date.now() - 950;
    const store = new MemoryClaimStore({ now: () => claimedAt + 950 });
    await store.claim(
      { operation: 'toy', scope: 'c', key: 'key-00003b' },
      { state: 'pending', fingerprint: 'p', owner: 'slow', claimedAt },
      1_000,
    );
    const late = await guardWith(store).run(toyPolicy(), { key: 'key-00003b', payload: 'p' }, request, async () => ({
      kind: 'created',
      id: 'twin',
    }));
    const leaseLeftMs = claimedAt + 1_000 - Date.now();
    expect(late).toEqual({ kind: 'in_progress', retryAfterMs: expect.any(Number) as number });
    // The guard measured the lease left before this test did: between this test's figure and 50 ms.
    expect(late.retryAfterMs).toBeGreaterThanOrEqual(Math.max(1, leaseLeftMs));
    expect(late.retryAfterMs).toBeLessThanOrEqual(50);
  });

  // claimedAt is the clock of the instance that claimed: found from outside, an instance whose clock
  // ran 60 s ahead measured every other instance's live claim as long lapsed and hinted 1 ms, so
  // clients that follow the hint retried in a tight loop for the whole lease.
  it('keeps the configured hint when the holder claimed by a clock that disagrees with ours', async () => {
    for (const [index, skewMs] of [-60_000, 60_000].entries()) {
      const key = `key-00003c${index}`;
      const store = new MemoryClaimStore();
      await store.claim(
        { operation: 'toy', scope: 'c', key },
        { state: 'pending', fingerprint: 'p', owner: 'other-instance', claimedAt: Date.now() + skewMs },
        1_000,
      );
      const meanwhile = await guardWith(store).run(toyPolicy(), { key, payload: 'p' }, request, async () => ({
        kind: 'created',
        id: 'twin',
      }));
      expect(meanwhile).toEqual({ kind: 'in_progress', retryAfterMs: 200 });
    }
  });

  it('prefers the database answer over "in progress" when the holder already committed', async () => {
    const store = new MemoryClaimStore();
    await store.claim(
      { operation: 'toy', scope: 'c', key: 'key-00004' },
      { state: 'pending', fingerprint: 'p', owner: 'crashed', claimedAt: Date.now() },
      1_000,
    );
    const committed = new Map([['key-00004', { resourceId: 'o-db', fingerprint: 'p', firstSeenAt: new Date(0) }]]);
    const guard = guardWith(store);
    const answer = await guard.run(toyPolicy(committed), { key: 'key-00004', payload: 'p' }, request, async () => ({
      kind: 'created',
      id: 'x',
    }));
    expect(answer).toEqual({ kind: 'duplicate/DATABASE', id: 'o-db' });
    // …and the store learnt it: the next repeat is a cache hit.
    const next = await guard.run(toyPolicy(), { key: 'key-00004', payload: 'p' }, request, async () => ({
      kind: 'created',
      id: 'x',
    }));
    expect(next).toEqual({ kind: 'duplicate/CACHE', id: 'o-db' });
  });

  it('releases the claim after a rejection or an error, so that a retry with the same key runs', async () => {
    const guard = guardWith(new MemoryClaimStore());
    const key = 'key-00005';
    expect(
      await guard.run(toyPolicy(), { key, payload: 'p' }, request, async () => ({ kind: 'out_of_stock' })),
    ).toEqual({ kind: 'out_of_stock' });
    await expect(
      guard.run(toyPolicy(), { key, payload: 'p' }, request, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(
      await guard.run(toyPolicy(), { key, payload: 'p' }, request, async () => ({ kind: 'created', id: 'o' })),
    ).toEqual({ kind: 'created', id: 'o' });
  });

  it.each(['throw', 'hang'] as const)('runs the request unclaimed when the store calls %s', async (mode) => {
    const events: IdempotencyEvent[] = [];
    const guard = guardWith(new FailingStore(mode), events);
    const answer = await guard.run(toyPolicy(), { key: 'key-00006', payload: 'p' }, request, async () => ({
      kind: 'created',
      id: 'o',
    }));
    expect(answer).toEqual({ kind: 'created', id: 'o' });
    expect(events.map((e) => [e.outcome, e.claim])).toEqual([['created', 'unavailable']]);
  });

  it('settles a claim that lands after its timeout with the outcome of the request that ran unclaimed', async () => {
    /** Takes its claims late: after the guard's 20 ms budget, while the request runs unclaimed. */
    class LateClaimStore extends MemoryClaimStore {
      claimDelayMs = 60;
      override async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
        await sleep(this.claimDelayMs);
        return super.claim(scope, claim, leaseMs);
      }
    }
    const store = new LateClaimStore();
    const events: IdempotencyEvent[] = [];
    const guard = guardWith(store, events);
    let runs = 0;
    const execute = async () => ({ kind: 'created', id: `order-${++runs}` });
    const failing = async (): Promise<Answer> => {
      runs += 1;
      throw new Error('resolver failed');
    };
    expect(await guard.run(toyPolicy(), { key: 'key-late-1', payload: 'p' }, request, execute)).toEqual({
      kind: 'created',
      id: 'order-1',
    });
    await expect(guard.run(toyPolicy(), { key: 'key-late-2', payload: 'p' }, request, failing)).rejects.toThrow();
    expect(events.map((event) => event.claim)).toEqual(['unavailable']);
    await sleep(100); // both claims have landed, and were settled

    store.claimDelayMs = 0;
    // The first key's result was kept: a repeat is answered, not "in progress" for the whole lease.
    expect(await guard.run(toyPolicy(), { key: 'key-late-1', payload: 'p' }, request, execute)).toEqual({
      kind: 'duplicate/CACHE',
      id: 'order-1',
    });
    // The failure was not: its retry runs at once.
    expect(await guard.run(toyPolicy(), { key: 'key-late-2', payload: 'p' }, request, execute)).toEqual({
      kind: 'created',
      id: 'order-3',
    });
    expect(runs).toBe(3);
  });

  it('completes a claim that lands after its timeout with what the database answered, so the next repeat runs nothing', async () => {
    class LateClaimStore extends MemoryClaimStore {
      claimDelayMs = 60;
      override async claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null> {
        await sleep(this.claimDelayMs);
        return super.claim(scope, claim, leaseMs);
      }
    }
    const store = new LateClaimStore();
    const committed = new Map<string, SettledResource>([
      ['key-late-3', { resourceId: 'order-db', fingerprint: 'p', firstSeenAt: new Date(0) }],
    ]);
    const guard = guardWith(store);
    const execute = jest.fn(async () => ({ kind: 'created', id: 'order-again' }));
    expect(await guard.run(toyPolicy(committed), { key: 'key-late-3', payload: 'p' }, request, execute)).toEqual({
      kind: 'duplicate/DATABASE',
      id: 'order-db',
    });
    await sleep(100); // the claim has landed, and was settled

    store.claimDelayMs = 0;
    expect(await guard.run(toyPolicy(committed), { key: 'key-late-3', payload: 'p' }, request, execute)).toEqual({
      kind: 'duplicate/CACHE',
      id: 'order-db',
    });
    expect(execute).not.toHaveBeenCalled();
  });

  it('answers malformed keys and invalid requests without touching the store', async () => {
    const guard = guardWith(new FailingStore('throw'));
    const execute = jest.fn();
    expect(await guard.run(toyPolicy(), { key: 'short', payload: 'p' }, request, execute)).toEqual({
      kind: 'invalid_key',
    });
    expect(await guard.run(toyPolicy(), { key: 'key-00007', payload: 'invalid' }, request, execute)).toEqual({
      kind: 'rejected',
    });
    expect(execute).not.toHaveBeenCalled();
  });
});

describe('IdempotencyGuard with a policy that answers with GraphQL errors (replayPolicy)', () => {
  it('reports in progress, reused and a malformed key although the answer is thrown: observers and Retry-After see them', async () => {
    const events: IdempotencyEvent[] = [];
    const guard = guardWith(new MemoryClaimStore(), events);
    const policy = replayPolicy('ticket', { scope: () => 'u1' });
    const context = () => ({ requestId: 'r', idempotencyDecisions: [] as IdempotencyEvent[] });
    let finish = (_value: unknown) => undefined as void;
    const first = guard.run(policy, { idempotencyKey: 'key-00000001', title: 'a' }, context(), () => {
      return new Promise((resolve) => (finish = resolve));
    });
    await new Promise((resolve) => setImmediate(resolve));

    const repeat = context();
    await expect(
      guard.run(policy, { idempotencyKey: 'key-00000001', title: 'a' }, repeat, jest.fn()),
    ).rejects.toMatchObject({ extensions: { code: 'IDEMPOTENCY_CONCURRENT_REQUEST' } });
    expect(repeat.idempotencyDecisions.map((event) => event.outcome)).toEqual(['in_progress']);
    expect(idempotencyHeaders(repeat.idempotencyDecisions)).toEqual([['retry-after', '1']]);

    finish({ id: 't1' });
    await first;
    const reused = context();
    await expect(
      guard.run(policy, { idempotencyKey: 'key-00000001', title: 'b' }, reused, jest.fn()),
    ).rejects.toMatchObject({
      extensions: { code: 'IDEMPOTENCY_KEY_PARAMETER_MISMATCH' },
    });
    const malformed = context();
    await expect(
      guard.run(policy, { idempotencyKey: 'short', title: 'a' }, malformed, jest.fn()),
    ).rejects.toMatchObject({
      extensions: { code: 'BAD_IDEMPOTENCY_KEY' },
    });
    expect([...reused.idempotencyDecisions, ...malformed.idempotencyDecisions].map((event) => event.outcome)).toEqual([
      'reused',
      'invalid_key',
    ]);
    expect(events.map((event) => event.outcome)).toEqual(['in_progress', 'created', 'reused', 'invalid_key']);
  });
});

describe('IdempotencyGuard, a repeat whose answer fails', () => {
  it('reports nothing when the answer of a repeat throws (its read failed): no answer exists, the request ends in an error', async () => {
    const events: IdempotencyEvent[] = [];
    const guard = guardWith(new MemoryClaimStore(), events);
    let readFails = false;
    const policy: IdempotencyPolicy<Args, object, Answer> = {
      ...toyPolicy(),
      answer(answer) {
        if (readFails) throw new Error('connection terminated');
        return toyPolicy().answer(answer, {});
      },
    };
    const execute = async () => ({ kind: 'created', id: 'order-1' });
    await guard.run(policy, { key: 'key-00000009', payload: 'p' }, request, execute);
    readFails = true;
    const failed = { requestId: 'r', idempotencyDecisions: [] as IdempotencyEvent[] };
    await expect(guard.run(policy, { key: 'key-00000009', payload: 'p' }, failed, execute)).rejects.toThrow(
      'connection terminated',
    );
    expect(failed.idempotencyDecisions).toEqual([]);
    expect(idempotencyHeaders(failed.idempotencyDecisions)).toEqual([]);
    readFails = false;
    const answered = { requestId: 'r', idempotencyDecisions: [] as IdempotencyEvent[] };
    expect(await guard.run(policy, { key: 'key-00000009', payload: 'p' }, answered, execute)).toEqual({
      kind: 'duplicate/CACHE',
      id: 'order-1',
    });
    expect(events.map((event) => `${event.outcome} ${event.layer ?? ''}`.trim())).toEqual([
      'created',
      'duplicate CACHE',
    ]);
  });
});

describe('MemoryClaimStore', () => {
  it('lets only the owner complete or release a claim, and forgets it after the lease', async () => {
    let now = 1_000;
    const store = new MemoryClaimStore({ now: () => now });
    const scope = { operation: 'toy', scope: 'c', key: 'k' };
    const mine: PendingClaim = { state: 'pending', fingerprint: 'f', owner: 'me', claimedAt: now };
    const theirs: PendingClaim = { ...mine, owner: 'them' };
    expect(await store.claim(scope, mine, 100)).toBeNull();
    expect(await store.claim(scope, theirs, 100)).toEqual(mine);
    expect(await store.release(scope, theirs)).toBe(false);
    now += 101;
    expect(await store.claim(scope, theirs, 100)).toBeNull();
    const done: CompletedClaim = { state: 'completed', fingerprint: 'f', resourceId: 'r', firstSeenAt: now };
    expect(await store.complete(scope, mine, done, 100)).toBe(false);
    expect(await store.complete(scope, theirs, done, 100)).toBe(true);
    expect(await store.claim(scope, mine, 100)).toEqual(done);
  });
});

describe('NearCacheClaimStore', () => {
  it('answers a key it saw completed from memory, and never caches a pending claim', async () => {
    const inner = new MemoryClaimStore();
    let asked = 0;
    const counting: ClaimStore = {
      claim: (...args) => ((asked += 1), inner.claim(...args)),
      complete: (...args) => inner.complete(...args),
      release: (...args) => inner.release(...args),
      remember: (...args) => inner.remember(...args),
    };
    const guard = guardWith(new NearCacheClaimStore(counting, { ttlMs: 60_000 }));
    let release!: () => void;
    const running = guard.run(
      toyPolicy(),
      { key: 'key-near-1', payload: 'p' },
      request,
      () => new Promise<Answer>((resolve) => (release = () => resolve({ kind: 'created', id: 'o' }))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const meanwhile = await guard.run(toyPolicy(), { key: 'key-near-1', payload: 'p' }, request, async () => ({
      kind: 'created',
      id: 'twin',
    }));
    expect(meanwhile).toEqual({ kind: 'in_progress', retryAfterMs: 200 });
    release();
    await running;
    expect(asked).toBe(2);
    const repeats = await Promise.all(
      [1, 2, 3].map(() =>
        guard.run(toyPolicy(), { key: 'key-near-1', payload: 'p' }, request, async () => ({
          kind: 'created',
          id: 'x',
        })),
      ),
    );
    expect(repeats).toEqual([1, 2, 3].map(() => ({ kind: 'duplicate/CACHE', id: 'o' })));
    expect(asked).toBe(2);
  });
});
