import { randomUUID } from 'node:crypto';
import nodeTimers from 'node:timers';
import { Redis } from 'ioredis';
import { RedisClaimStore, claimStoreKey, decodeClaim } from '../src';
import type { ClaimScope, PendingClaim } from '../src';
import { REDIS_URL, dropPrefix, uniquePrefix } from './support';

// The Redis store's commands of one event-loop turn leave in one write (turn-writes.ts), whether
// or not the client auto-pipelines, and nothing else about the client changes.
const connections: { redis: Redis; prefix: string }[] = [];

async function storeOn(options: { enableAutoPipelining: boolean }) {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, ...options });
  await redis.ping();
  const prefix = uniquePrefix('turn-writes');
  connections.push({ redis, prefix });
  return { redis, prefix, store: new RedisClaimStore(redis, prefix) };
}
afterAll(() => Promise.all(connections.map(({ redis, prefix }) => dropPrefix(redis, prefix))));
afterEach(() => jest.useRealTimers());

/** How many times the socket hands data to the system (one write or writev each). */
function countWrites(redis: Redis): () => number {
  const stream = redis.stream as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
  let writes = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = stream[method];
    stream[method] = function (this: unknown, ...args: unknown[]) {
      writes += 1;
      return original.apply(this, args);
    };
  }
  return () => writes;
}

const scopeOf = (): ClaimScope => ({ operation: 'createThing', scope: 'customer-1', key: `turn-${randomUUID()}` });
const pending = (): PendingClaim => ({
  state: 'pending',
  fingerprint: 'f',
  owner: randomUUID(),
  claimedAt: Date.now(),
});

describe.each([false, true])('RedisClaimStore, auto-pipelining %s', (enableAutoPipelining) => {
  it("sends the claims of separate callbacks of one turn in one write, each claim taken, and leaves the client's auto-pipelining as it was", async () => {
    const { redis, prefix, store } = await storeOn({ enableAutoPipelining });
    const writes = countWrites(redis);
    const claims = Array.from({ length: 3 }, () => ({ scope: scopeOf(), claim: pending() }));
    // Three callbacks of one turn's check phase, as the requests a busy server reads in one turn.
    const results = await Promise.all(
      claims.map(
        ({ scope, claim }) =>
          new Promise((resolve, reject) =>
            setImmediate(() => {
              store.claim(scope, claim, 5_000).then(resolve, reject);
            }),
          ),
      ),
    );
    expect(results).toEqual([null, null, null]);
    expect(writes()).toBe(1);
    for (const { scope, claim } of claims)
      expect(decodeClaim((await redis.get(claimStoreKey(prefix, scope)))!)).toEqual(claim);
    expect(redis.options.enableAutoPipelining).toBe(enableAutoPipelining);
  });
});

it("is not held by a test's fake timers", async () => {
  const { store } = await storeOn({ enableAutoPipelining: false });
  jest.useFakeTimers();
  const scope = scopeOf();
  const claim = pending();
  await expect(store.claim(scope, claim, 5_000)).resolves.toBeNull();
  await expect(
    store.complete(scope, claim, { ...claim, state: 'completed', resourceId: 'r', firstSeenAt: 1 }, 5_000),
  ).resolves.toBe(true);
});

it('is not held by fake timers that patch node:timers itself (sinon, node:test mock.timers)', async () => {
  const { store } = await storeOn({ enableAutoPipelining: false });
  const timers = nodeTimers as unknown as { setImmediate: unknown };
  const real = timers.setImmediate;
  let asked = 0;
  // A fake clock nobody advances: whatever it is handed never runs.
  timers.setImmediate = () => void asked++;
  try {
    const scope = scopeOf();
    const claim = pending();
    await expect(store.claim(scope, claim, 5_000)).resolves.toBeNull();
    expect(asked).toBe(0);
  } finally {
    timers.setImmediate = real;
  }
});
