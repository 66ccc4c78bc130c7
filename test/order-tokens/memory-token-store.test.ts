import { MemoryTokenStore } from '../../src/order-tokens/memory-token-store';
import type { TokenHold } from '../../src/order-tokens/token-store';

/** The embedded mode's token store: the same state machine as RedisTokenStore, on a fake clock. */
const LEASE_MS = 30_000;
let now = 1_000_000;
let next = 0;
const hold = (tokenId: string, since = now): TokenHold => ({ tokenId, owner: `owner-${(next += 1)}`, since });

function issuedStore(tokenId: string, ttlMs = 60_000): Promise<MemoryTokenStore> {
  const store = new MemoryTokenStore({ now: () => now });
  return store.issue(tokenId, now + ttlMs).then(() => store);
}

describe('MemoryTokenStore', () => {
  it('lets exactly one of two holders take an issued token; the other sees it in use', async () => {
    const store = await issuedStore('t1');
    const [a, b] = [hold('t1'), hold('t1')];
    const results = await Promise.all([store.acquire(a, LEASE_MS), store.acquire(b, LEASE_MS)]);
    expect(results).toEqual([{ state: 'acquired' }, { state: 'in-use', since: a.since }]);
  });

  it('settles a hold only for its holder: used by an order, or given back for a retry', async () => {
    const store = await issuedStore('t2');
    const mine = hold('t2');
    await store.acquire(mine, LEASE_MS);
    expect(await store.markUsed(hold('t2'), 'order-x')).toBe(false);
    expect(await store.giveBack(mine)).toBe(true);
    const again = hold('t2');
    expect(await store.acquire(again, LEASE_MS)).toEqual({ state: 'acquired' });
    expect(await store.markUsed(again, 'order-1')).toBe(true);
    expect(await store.acquire(hold('t2'), LEASE_MS)).toEqual({ state: 'used', orderId: 'order-1' });
  });

  it('lets a new holder take over a hold older than the lease, but not a fresh one', async () => {
    const store = await issuedStore('t3');
    const crashed = hold('t3', now - LEASE_MS - 1);
    await store.acquire(crashed, LEASE_MS);
    const taker = hold('t3');
    expect(await store.acquire(taker, LEASE_MS)).toEqual({ state: 'acquired' });
    expect(await store.acquire(hold('t3'), LEASE_MS)).toEqual({ state: 'in-use', since: taker.since });
    expect(await store.markUsed(crashed, 'late-order')).toBe(false);
  });

  it('forgets a token when it expires, and reports unknown tokens as missing', async () => {
    const store = await issuedStore('t4', 5_000);
    expect(await store.acquire(hold('never-issued'), LEASE_MS)).toEqual({ state: 'missing' });
    now += 5_001;
    expect(await store.acquire(hold('t4'), LEASE_MS)).toEqual({ state: 'missing' });
  });
});
