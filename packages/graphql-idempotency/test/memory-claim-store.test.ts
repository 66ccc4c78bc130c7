import type { IdempotencyPolicy, SettledResource } from '../src';
import { IdempotencyGuard, MemoryClaimStore, MemoryClaimStoreFull } from '../src';

// A bounded MemoryClaimStore under the guard: what it may forget to make room, and what it must not.
type Answer = { kind: string; id?: string };
interface Args {
  key: string;
}

const request = { requestId: 'test' };

function policyWith(committed: Map<string, SettledResource>, asked: string[]): IdempotencyPolicy<Args, object, Answer> {
  return {
    operation: 'toy',
    keyArgument: 'key',
    prepare: () => ({ scope: 'c', fingerprint: 'p' }),
    outcomeOf: (answer) => ({
      outcome: 'created',
      resource: { resourceId: answer.id!, fingerprint: 'p', firstSeenAt: new Date(0) },
    }),
    findCommitted: async (scope) => {
      asked.push(scope.key);
      return committed.get(scope.key) ?? null;
    },
    answer: (answer) =>
      answer.outcome === 'duplicate'
        ? { kind: `duplicate/${answer.layer}`, id: answer.resource.resourceId }
        : { kind: answer.outcome },
  };
}

function setUp(maxEntries: number) {
  const committed = new Map<string, SettledResource>();
  const asked: string[] = [];
  const failures: unknown[] = [];
  const guard = new IdempotencyGuard(new MemoryClaimStore({ maxEntries }), {
    leaseMs: 30_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 1_000,
    onStoreFailure: (_operation, error) => failures.push(error),
  });
  const runs: string[] = [];
  /** Runs `key` under the guard; its resolver waits for `until` when given. */
  const send = (key: string, until?: Promise<void>) =>
    guard.run(policyWith(committed, asked), { key }, request, async () => {
      runs.push(key);
      await until;
      committed.set(key, { resourceId: `id-${key}`, fingerprint: 'p', firstSeenAt: new Date(0) });
      return { kind: 'created', id: `id-${key}` };
    });
  return { asked, failures, runs, send };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('MemoryClaimStore with maxEntries, under the guard', () => {
  it('never evicts a pending claim to make room: a repeat while its request runs is told it is in progress', async () => {
    const { runs, send } = setUp(2);
    const slow = gate();
    const first = send('key-A-0001', slow.promise);
    await send('key-B-0001');
    await send('key-C-0001'); // the store is full: B (completed) makes room, not A (running)
    expect(await send('key-A-0001')).toEqual({ kind: 'in_progress' });
    slow.open();
    expect(await first).toEqual({ kind: 'created', id: 'id-key-A-0001' });
    expect(runs).toEqual(['key-A-0001', 'key-B-0001', 'key-C-0001']);
  });

  it('full of running claims, refuses a new one as a store failure: the request asks findCommitted, then runs unclaimed', async () => {
    const { asked, failures, runs, send } = setUp(2);
    const slow = gate();
    const running = [send('key-A-0002', slow.promise), send('key-B-0002', slow.promise)];
    expect(await send('key-C-0002')).toEqual({ kind: 'created', id: 'id-key-C-0002' });
    expect(asked).toEqual(['key-C-0002']);
    expect(failures).toEqual([expect.any(MemoryClaimStoreFull)]);
    // Committed meanwhile (its claim could not be kept): the database answers the repeat.
    expect(await send('key-C-0002')).toEqual({ kind: 'duplicate/DATABASE', id: 'id-key-C-0002' });
    // The running claims were kept: their repeats are still told to wait.
    expect(await send('key-A-0002')).toEqual({ kind: 'in_progress' });
    slow.open();
    await Promise.all(running);
    expect(runs).toEqual(['key-A-0002', 'key-B-0002', 'key-C-0002']);
  });

  it('forgets the least recently used completed record: its next repeat is a fresh claim, runs, and findCommitted is not asked', async () => {
    // What the store's documentation promises: a forgotten key is a key never seen, so only the
    // application's unique index stops the second write.
    const { asked, runs, send } = setUp(2);
    await send('key-A-0003');
    await send('key-B-0003');
    await send('key-C-0003'); // A, the least recently used, is forgotten
    expect(await send('key-B-0003')).toEqual({ kind: 'duplicate/CACHE', id: 'id-key-B-0003' });
    expect(await send('key-A-0003')).toEqual({ kind: 'created', id: 'id-key-A-0003' });
    expect(runs).toEqual(['key-A-0003', 'key-B-0003', 'key-C-0003', 'key-A-0003']);
    expect(asked).toEqual([]);
  });
});

describe('MemoryClaimStore options', () => {
  it.each([Number.NaN, 0, -1, 1.5])(
    'refuses maxEntries %p with a TypeError naming it (NaN made every repeat run)',
    (maxEntries) => {
      expect(() => new MemoryClaimStore({ maxEntries })).toThrow(
        new TypeError(`MemoryClaimStore: maxEntries must be a whole number, 1 or more (got ${maxEntries}).`),
      );
    },
  );
});
