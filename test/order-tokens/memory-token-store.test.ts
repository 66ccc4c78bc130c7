import { MemoryTokenStore } from '../../src/order-tokens/memory-token-store';
import type { TokenHold } from '../../src/order-tokens/token-store';

/** The embedded mode's token store: the same state machine as RedisTokenStore, on a fake clock. */
const LEASE_MS = 30_000;
let now = 1_000_000;
let next = 0;
const owner = () => `owner-${(next += 1)}`;

function issuedStore(tokenId: string, ttlMs = 60_000): Promise<MemoryTokenStore> {
  const store = new MemoryTokenStore({ now: () => now });
  return store.issue(tokenId, now + ttlMs).then(() => store);
}

/** Takes the token for a new owner and returns its hold (fails the test if the token was not taken). */
async function take(store: MemoryTokenStore, tokenId: string): Promise<TokenHold> {
  const found = await store.acquire(tokenId, owner(), LEASE_MS);
  if (found.state !== 'acquired') throw new Error(`not acquired: ${found.state}`);
  return found.hold;
}

describe('MemoryTokenStore', () => {
  it('lets exactly one of two holders take an issued token; the other sees it in use', async () => {
    const store = await issuedStore('t1');
    const [a, b] = ['a', 'b'];
    const results = await Promise.all([store.acquire('t1', a, LEASE_MS), store.acquire('t1', b, LEASE_MS)]);
    expect(results).toEqual([
      { state: 'acquired', hold: { tokenId: 't1', owner: a, since: now } },
      { state: 'in-use', leaseLeftMs: LEASE_MS },
    ]);
  });

  it('settles a hold only for its holder: used by an order, or given back for a retry', async () => {
    const store = await issuedStore('t2');
    const mine = await take(store, 't2');
    expect(await store.markUsed({ ...mine, owner: owner() }, 'order-x')).toBe(false);
    expect(await store.giveBack(mine)).toBe(true);
    const again = await take(store, 't2');
    expect(await store.markUsed(again, 'order-1')).toBe(true);
    expect(await store.acquire('t2', owner(), LEASE_MS)).toEqual({ state: 'used', orderId: 'order-1' });
  });

  it('lets a new holder take over a hold older than the lease, but not a fresh one', async () => {
    const store = await issuedStore('t3');
    const crashed = await take(store, 't3');
    now += LEASE_MS - 1;
    expect(await store.acquire('t3', owner(), LEASE_MS)).toEqual({ state: 'in-use', leaseLeftMs: 1 });
    now += 1;
    const taker = await take(store, 't3');
    expect(taker.since).toBe(now);
    expect(await store.acquire('t3', owner(), LEASE_MS)).toEqual({ state: 'in-use', leaseLeftMs: LEASE_MS });
    expect(await store.markUsed(crashed, 'late-order')).toBe(false);
  });

  it('forgets a token when it expires, and reports unknown tokens as missing', async () => {
    const store = await issuedStore('t4', 5_000);
    expect(await store.acquire('never-issued', owner(), LEASE_MS)).toEqual({ state: 'missing' });
    now += 5_001;
    expect(await store.acquire('t4', owner(), LEASE_MS)).toEqual({ state: 'missing' });
  });
});
