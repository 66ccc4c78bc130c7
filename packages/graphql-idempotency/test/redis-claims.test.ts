import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { IdempotencyGuard, RedisClaimStore, claimStoreKey, decodeClaim } from '../src';
import type { IdempotencyEvent, PendingClaim } from '../src';
import { connectRedis, dropPrefix, toyPolicy, uniquePrefix } from './support';
import type { ToyAnswer } from './support';

// The claim against a real Redis: atomic under concurrency, scoped by operation, owner-checked.
let redis: Redis;
let prefix: string;
let store: RedisClaimStore;

beforeAll(async () => {
  redis = await connectRedis();
  prefix = uniquePrefix('claims');
  store = new RedisClaimStore(redis, prefix);
});
afterAll(() => dropPrefix(redis, prefix));

const guardOf = (events: IdempotencyEvent[] = []) =>
  new IdempotencyGuard(store, {
    leaseMs: 5_000,
    retentionMs: 60_000,
    retryAfterMs: 50,
    storeTimeoutMs: 1_000,
    observers: [{ onDecision: (event: IdempotencyEvent) => events.push(event) }],
  });

const pending = (owner = randomUUID()): PendingClaim => ({
  state: 'pending',
  fingerprint: 'f',
  owner,
  claimedAt: Date.now(),
});

describe('RedisClaimStore', () => {
  it('gives a key to exactly one of 200 concurrent claims (one SET NX PX GET each)', async () => {
    const scope = { operation: 'createThing', scope: 'customer-1', key: `storm-${randomUUID()}` };
    const claims = Array.from({ length: 200 }, () => pending());
    const results = await Promise.all(claims.map((claim) => store.claim(scope, claim, 5_000)));
    const winners = results.flatMap((result, index) => (result === null ? [claims[index]] : []));
    expect(winners).toHaveLength(1);
    // Every loser was shown the winner's record, untouched.
    expect(
      results
        .filter((result) => result !== null)
        .every((result) => result?.state === 'pending' && result.owner === winners[0].owner),
    ).toBe(true);
    expect(decodeClaim((await redis.get(claimStoreKey(prefix, scope)))!)).toEqual(winners[0]);
  });

  it('keeps the operations apart: a cancelThing key never answers a createThing key of the same scope', async () => {
    const events: IdempotencyEvent[] = [];
    const guard = guardOf(events);
    const key = `shared-${randomUUID()}`;
    const create = await guard.run(toyPolicy('createThing'), { key, payload: 'p' }, {}, async () => ({
      kind: 'created',
      id: 'thing-1',
    }));
    const cancel = await guard.run(toyPolicy('cancelThing'), { key, payload: 'p' }, {}, async () => ({
      kind: 'created',
      id: 'cancel-1',
    }));
    const again = await guard.run(toyPolicy('cancelThing'), { key, payload: 'p' }, {}, async () => ({
      kind: 'created',
      id: 'cancel-2',
    }));
    expect([create, cancel, again]).toEqual([
      { kind: 'created', id: 'thing-1' },
      { kind: 'created', id: 'cancel-1' },
      { kind: 'duplicate/CACHE', id: 'cancel-1' },
    ]);
    expect(events.map((event) => [event.operation, event.outcome])).toEqual([
      ['createThing', 'created'],
      ['cancelThing', 'created'],
      ['cancelThing', 'duplicate'],
    ]);
  });

  it('runs a storm of one key once: every other caller is told to wait or gets the first answer', async () => {
    const guard = guardOf();
    const key = `one-key-${randomUUID()}`;
    let runs = 0;
    const execute = async (): Promise<ToyAnswer> => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { kind: 'created', id: `thing-${runs}` };
    };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => guard.run(toyPolicy('createThing'), { key, payload: 'p' }, {}, execute)),
    );
    expect(runs).toBe(1);
    expect(answers.filter((answer) => answer.kind === 'created')).toEqual([{ kind: 'created', id: 'thing-1' }]);
    expect(answers.every((answer) => answer.kind === 'created' || answer.kind === 'in_progress')).toBe(true);
    expect(await guard.run(toyPolicy('createThing'), { key, payload: 'p' }, {}, execute)).toEqual({
      kind: 'duplicate/CACHE',
      id: 'thing-1',
    });
  });

  it('never stores a failure: a resolver that throws leaves the key free for the retry', async () => {
    const guard = guardOf();
    const key = `fails-${randomUUID()}`;
    await expect(
      guard.run(toyPolicy('createThing'), { key, payload: 'p' }, {}, () => Promise.reject(new Error('database away'))),
    ).rejects.toThrow('database away');
    expect(await redis.exists(claimStoreKey(prefix, { operation: 'createThing', scope: 'customer-1', key }))).toBe(0);
    expect(
      await guard.run(toyPolicy('createThing'), { key, payload: 'p' }, {}, async () => ({ kind: 'created', id: 'ok' })),
    ).toEqual({ kind: 'created', id: 'ok' });
  });

  it('keeps each operation to its own lease and retention', async () => {
    const guard = guardOf();
    const key = `lease-${randomUUID()}`;
    const policy = { ...toyPolicy('shortLived', { leaseMs: 300 }), retentionMs: 2_000 };
    let release!: () => void;
    const running = guard.run(
      policy,
      { key, payload: 'p' },
      {},
      () => new Promise<ToyAnswer>((resolve) => (release = () => resolve({ kind: 'created', id: 'x' }))),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    const claimKey = claimStoreKey(prefix, { operation: 'shortLived', scope: 'customer-1', key });
    const leaseTtl = await redis.pttl(claimKey);
    expect(leaseTtl).toBeGreaterThan(0);
    expect(leaseTtl).toBeLessThanOrEqual(300);
    release();
    await running;
    const retentionTtl = await redis.pttl(claimKey);
    expect(retentionTtl).toBeGreaterThan(300);
    expect(retentionTtl).toBeLessThanOrEqual(2_000);
  });
});
