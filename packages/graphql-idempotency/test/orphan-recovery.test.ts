import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { IdempotencyGuard, RedisClaimStore, claimStoreKey, decodeClaim } from '../src';
import type { ClaimScope } from '../src';
import { connectRedis, dropPrefix, toyPolicy, uniquePrefix } from './support';
import type { ToyAnswer } from './support';

// Orphan recovery on a real Redis: a lease expires while its owner is still alive, another request
// claims the key, and then the first owner finishes late. The late owner's complete (or release)
// is a compare-and-set on its own pending record, so it never overwrites nor deletes the newer
// claim (the race Powertools' GET-then-SET recovery has, #5714).
let redis: Redis;
let prefix: string;
let guard: IdempotencyGuard;
// Long enough for the claim to be seen on a loaded machine, short enough to wait out.
const LEASE_MS = 1_500;

beforeAll(async () => {
  redis = await connectRedis();
  prefix = uniquePrefix('orphan');
  guard = new IdempotencyGuard(new RedisClaimStore(redis, prefix), {
    leaseMs: LEASE_MS,
    retentionMs: 60_000,
    retryAfterMs: 20,
    storeTimeoutMs: 1_000,
  });
});
afterAll(() => dropPrefix(redis, prefix));

/** A request whose resolver runs until `finish` is called (its claim's lease: `leaseMs`). */
function slowRequest(key: string, id: string, leaseMs: number) {
  let finish!: (outcome: 'complete' | 'fail') => void;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const answer = guard.run(
    toyPolicy('createThing', { leaseMs }),
    { key, payload: 'p' },
    {},
    () =>
      new Promise<ToyAnswer>((resolve, reject) => {
        started();
        finish = (outcome) =>
          outcome === 'complete' ? resolve({ kind: 'created', id }) : reject(new Error(`${id} failed`));
      }),
  );
  return { answer, running, finish: (outcome: 'complete' | 'fail') => finish(outcome) };
}

const scopeOf = (key: string): ClaimScope => ({ operation: 'createThing', scope: 'customer-1', key });
const stored = async (key: string) => {
  const text = await redis.get(claimStoreKey(prefix, scopeOf(key)));
  return text === null ? null : decodeClaim(text);
};

describe('orphan recovery: a lease expires while its owner is alive', () => {
  it.each(['complete', 'fail'] as const)(
    'the first owner finishing late (%s) leaves the newer claim and its completion alone',
    async (lateOutcome) => {
      const key = `orphan-${lateOutcome}-${randomUUID()}`;
      const first = slowRequest(key, 'first', LEASE_MS);
      await first.running;
      const firstClaim = await stored(key);
      expect(firstClaim).toMatchObject({ state: 'pending' });

      // The lease runs out while the first request is still working: the key is free again.
      const deadline = Date.now() + LEASE_MS + 10_000;
      while ((await stored(key)) !== null && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await stored(key)).toBeNull();
      // The second's lease is long enough to outlive the test on a busy machine.
      const second = slowRequest(key, 'second', 30_000);
      await second.running;
      const secondClaim = await stored(key);
      expect(secondClaim).toMatchObject({ state: 'pending' });
      expect(secondClaim).not.toEqual(firstClaim);

      // The first owner finishes now, late: its complete/release must not touch the second's claim.
      first.finish(lateOutcome);
      if (lateOutcome === 'complete') expect(await first.answer).toEqual({ kind: 'created', id: 'first' });
      else await expect(first.answer).rejects.toThrow('first failed');
      expect(await stored(key)).toEqual(secondClaim);

      // The second owner completes normally, and repeats get its answer.
      second.finish('complete');
      expect(await second.answer).toEqual({ kind: 'created', id: 'second' });
      expect(await stored(key)).toMatchObject({ state: 'completed', resourceId: 'second' });
      expect(
        await guard.run(toyPolicy('createThing'), { key, payload: 'p' }, {}, async () => ({
          kind: 'created',
          id: 'third',
        })),
      ).toEqual({
        kind: 'duplicate/CACHE',
        id: 'second',
      });
    },
  );
});
