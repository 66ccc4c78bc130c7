import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MemoryClaimStore, NearCacheClaimStore, RedisClaimStore, claimStoreKey } from '../src';
import type { ClaimScope, ClaimStore, CompletedClaim, PendingClaim } from '../src';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// replaceIfPresent: news from elsewhere (a resource changed) rewrites a key's record where the
// store holds one, and creates none where it does not, nor makes one live longer.
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  redis = await connectRedis();
  prefix = uniquePrefix('replace');
});
afterAll(() => dropPrefix(redis, prefix));

const scopeOf = (): ClaimScope => ({ operation: 'createThing', scope: 'customer-1', key: `k-${randomUUID()}` });
const completed = (replay?: string): CompletedClaim => ({
  state: 'completed',
  fingerprint: 'f',
  resourceId: 'thing-1',
  firstSeenAt: 1_700_000_000_000,
  ...(replay === undefined ? {} : { replay }),
});
const pending = (): PendingClaim => ({ state: 'pending', fingerprint: 'f', owner: randomUUID(), claimedAt: 1 });

const stores: [string, () => ClaimStore][] = [
  ['RedisClaimStore', () => new RedisClaimStore(redis, prefix)],
  ['MemoryClaimStore', () => new MemoryClaimStore()],
  ['NearCacheClaimStore', () => new NearCacheClaimStore(new RedisClaimStore(redis, prefix), { ttlMs: 60_000 })],
];

describe.each(stores)('%s.replaceIfPresent', (_name, open) => {
  it('writes nothing for a key it does not hold', async () => {
    const store = open();
    const scope = scopeOf();
    expect(await store.replaceIfPresent!(scope, completed())).toBe(false);
    expect(await store.read!(scope)).toBeNull();
  });

  it('rewrites a completed record (the replay dropped) and a pending one', async () => {
    const store = open();
    const done = scopeOf();
    await store.remember(done, completed('as it was'), 60_000);
    expect(await store.read!(done)).toEqual(completed('as it was')); // a near cache now holds it too
    expect(await store.replaceIfPresent!(done, completed())).toBe(true);
    expect(await store.read!(done)).toEqual(completed());

    const running = scopeOf();
    expect(await store.claim(running, pending(), 60_000)).toBeNull();
    expect(await store.replaceIfPresent!(running, completed())).toBe(true);
    expect(await store.read!(running)).toEqual(completed());
  });
});

describe('RedisClaimStore.replaceIfPresent', () => {
  it('keeps the key’s expiry', async () => {
    const store = new RedisClaimStore(redis, prefix);
    const scope = scopeOf();
    await store.remember(scope, completed('as it was'), 5_000);
    expect(await store.replaceIfPresent(scope, completed())).toBe(true);
    const ttl = await redis.pttl(claimStoreKey(prefix, scope));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });
});

describe('MemoryClaimStore.replaceIfPresent', () => {
  it('keeps the record’s expiry, and treats an expired one as absent', async () => {
    let now = 0;
    const store = new MemoryClaimStore({ now: () => now });
    const scope = scopeOf();
    await store.remember(scope, completed('as it was'), 1_000);
    now = 900;
    expect(await store.replaceIfPresent(scope, completed())).toBe(true);
    now = 1_000;
    expect(await store.read(scope)).toBeNull();
    expect(await store.replaceIfPresent(scope, completed())).toBe(false);
    expect(store.size).toBe(0);
  });
});
