import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { IdempotencyGuard, MemoryClaimStore, RedisClaimStore } from '../src';
import type { ClaimScope, ClaimStore, IdempotencyEvent } from '../src';
import { connectRedis, dropPrefix, toyPolicy, uniquePrefix } from './support';
import type { ToyAnswer } from './support';

// repeatWaitMs: a repeat whose key's first request runs in the same process waits for its answer
// instead of being told "in progress". Each test first shows the repeat really arrived while the
// first request was running (its claim pending), so a pass is not a repeat that came too late.

function guardOf(store: ClaimStore, repeatWaitMs: number, events: IdempotencyEvent[] = []): IdempotencyGuard {
  return new IdempotencyGuard(store, {
    leaseMs: 5_000,
    retentionMs: 60_000,
    retryAfterMs: 200,
    storeTimeoutMs: 1_000,
    repeatWaitMs,
    observers: [{ onDecision: (event: IdempotencyEvent) => events.push(event) }],
  });
}

/** A toy policy whose database reads are counted, and whose database holds nothing. */
function countedPolicy() {
  const policy = toyPolicy('createThing');
  const findCommitted = jest.fn((scope: ClaimScope, context: unknown) => policy.findCommitted(scope, context));
  return { policy: { ...policy, findCommitted }, findCommitted };
}

/** A first request that runs until `finish` is called, and says when it has started. */
function slowRequest() {
  let finish!: (answer: ToyAnswer | Error) => void;
  let started!: () => void;
  const hasStarted = new Promise<void>((resolve) => (started = resolve));
  const execute = () => {
    started();
    return new Promise<ToyAnswer>((resolve, reject) => {
      finish = (answer) => (answer instanceof Error ? reject(answer) : resolve(answer));
    });
  };
  return { execute, hasStarted, finish: (answer: ToyAnswer | Error) => finish(answer) };
}

const args = (key: string, payload = 'p') => ({ key, payload });

describe('repeatWaitMs: a repeat waits for its first request in this process', () => {
  it('answers the repeat with the first answer as soon as it exists, without a database read', async () => {
    const events: IdempotencyEvent[] = [];
    const guard = guardOf(new MemoryClaimStore(), 5_000, events);
    const { policy, findCommitted } = countedPolicy();
    const key = `wait-${randomUUID()}`;
    const first = slowRequest();
    const firstAnswer = guard.run(policy, args(key), {}, first.execute);
    await first.hasStarted;
    const twinExecute = jest.fn(async () => ({ kind: 'created', id: 'twin' }));
    const repeats = [guard.run(policy, args(key), {}, twinExecute), guard.run(policy, args(key, 'q'), {}, twinExecute)];
    await sleep(30);
    // Both repeats are still waiting: nothing decided for them yet.
    expect(events).toHaveLength(0);
    first.finish({ kind: 'created', id: 'thing-1' });
    expect(await firstAnswer).toEqual({ kind: 'created', id: 'thing-1' });
    // Same payload: the first answer; another payload under the key: reused, as for a completed key.
    expect(await Promise.all(repeats)).toEqual([{ kind: 'duplicate/CACHE', id: 'thing-1' }, { kind: 'reused' }]);
    expect(twinExecute).not.toHaveBeenCalled();
    expect(findCommitted).not.toHaveBeenCalled();
    expect(events.map((event) => [event.outcome, event.claim])).toEqual([
      ['created', 'claimed'],
      ['duplicate', 'held'],
      ['reused', 'held'],
    ]);
  });

  it('answers a repeat that comes after the first request ended but before the store has its answer, from this process', async () => {
    // The store's completion is held back: a repeat claiming meanwhile still finds the key pending.
    const store = new MemoryClaimStore();
    let completionLands!: () => void;
    const landed = new Promise<void>((resolve) => (completionLands = resolve));
    const complete = store.complete.bind(store);
    store.complete = async (...call) => {
      await landed;
      return complete(...call);
    };
    const guard = guardOf(store, 5_000);
    const { policy, findCommitted } = countedPolicy();
    const key = `ended-${randomUUID()}`;
    const scope = { operation: 'createThing', scope: 'customer-1', key };
    const firstAnswer = guard.run(policy, args(key), {}, async () => ({ kind: 'created', id: 'thing-1' }));
    await sleep(10);
    expect((await store.read(scope))?.state).toBe('pending');
    const twinExecute = jest.fn(async () => ({ kind: 'created', id: 'twin' }));
    const repeat = await guard.run(policy, args(key), {}, twinExecute);
    completionLands();
    expect(await firstAnswer).toEqual({ kind: 'created', id: 'thing-1' });
    // Not "in progress" (a retry loop for the client), and no database read: the answer is known here.
    expect(repeat).toEqual({ kind: 'duplicate/CACHE', id: 'thing-1' });
    expect(twinExecute).not.toHaveBeenCalled();
    expect(findCommitted).not.toHaveBeenCalled();
  });

  it('runs the repeat when the first request fails, as the client retry would', async () => {
    const guard = guardOf(new MemoryClaimStore(), 5_000);
    const { policy } = countedPolicy();
    const key = `fail-${randomUUID()}`;
    const first = slowRequest();
    const firstAnswer = guard.run(policy, args(key), {}, first.execute);
    await first.hasStarted;
    const repeat = guard.run(policy, args(key), {}, async () => ({ kind: 'created', id: 'thing-2' }));
    first.finish(new Error('database down'));
    await expect(firstAnswer).rejects.toThrow('database down');
    expect(await repeat).toEqual({ kind: 'created', id: 'thing-2' });
  });

  it('runs the repeat when the first request is turned away (an answer that is not a resource)', async () => {
    const guard = guardOf(new MemoryClaimStore(), 5_000);
    const { policy } = countedPolicy();
    const key = `refused-${randomUUID()}`;
    const first = slowRequest();
    const firstAnswer = guard.run(policy, args(key), {}, first.execute);
    await first.hasStarted;
    const repeat = guard.run(policy, args(key), {}, async () => ({ kind: 'created', id: 'restocked' }));
    first.finish({ kind: 'out_of_stock' });
    expect(await firstAnswer).toEqual({ kind: 'out_of_stock' });
    expect(await repeat).toEqual({ kind: 'created', id: 'restocked' });
  });

  it('answers "in progress" past the wait, without a database read (the first still runs here)', async () => {
    const guard = guardOf(new MemoryClaimStore(), 60);
    const { policy, findCommitted } = countedPolicy();
    const key = `past-${randomUUID()}`;
    const first = slowRequest();
    const firstAnswer = guard.run(policy, args(key), {}, first.execute);
    await first.hasStarted;
    const sentAt = performance.now();
    const repeat = await guard.run(policy, args(key), {}, async () => ({ kind: 'created', id: 'twin' }));
    const waitedMs = performance.now() - sentAt;
    expect(repeat).toEqual({ kind: 'in_progress', retryAfterMs: 200 });
    // It waited its 60 ms (timers may fire a millisecond early), and not for the first request.
    expect(waitedMs).toBeGreaterThanOrEqual(55);
    expect(findCommitted).not.toHaveBeenCalled();
    first.finish({ kind: 'created', id: 'thing-3' });
    expect(await firstAnswer).toEqual({ kind: 'created', id: 'thing-3' });
  });

  it('never waits for a request of another process, and never with repeatWaitMs 0', async () => {
    const store = new MemoryClaimStore();
    const { policy, findCommitted } = countedPolicy();
    const key = `elsewhere-${randomUUID()}`;
    const first = slowRequest();
    // The first request runs under another guard (another process sharing the store).
    const firstAnswer = guardOf(store, 5_000).run(policy, args(key), {}, first.execute);
    await first.hasStarted;
    for (const guard of [guardOf(store, 5_000), guardOf(store, 0)]) {
      const repeat = await guard.run(policy, args(key), {}, async () => ({ kind: 'created', id: 'twin' }));
      expect(repeat).toEqual({ kind: 'in_progress', retryAfterMs: 200 });
    }
    // As before: a pending claim of unknown fate is checked against the database.
    expect(findCommitted).toHaveBeenCalledTimes(2);
    first.finish({ kind: 'created', id: 'thing-4' });
    await firstAnswer;
  });
});

describe('repeatWaitMs against a real Redis', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(async () => {
    redis = await connectRedis();
    prefix = uniquePrefix('repeat-wait');
  });
  afterAll(() => dropPrefix(redis, prefix));

  it('gives a storm of 50 copies of one key one execution and the first answer for every copy', async () => {
    const guard = guardOf(new RedisClaimStore(redis, prefix), 5_000);
    const { policy } = countedPolicy();
    const key = `storm-${randomUUID()}`;
    let runs = 0;
    const execute = async () => {
      runs += 1;
      await sleep(50);
      return { kind: 'created', id: `thing-${runs}` };
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => guard.run(policy, args(key), {}, execute)));
    expect(runs).toBe(1);
    expect(answers.filter((answer) => answer.kind === 'created')).toEqual([{ kind: 'created', id: 'thing-1' }]);
    expect(answers.filter((answer) => answer.kind === 'duplicate/CACHE')).toHaveLength(49);
  });
});
