import { Redis } from 'ioredis';
import { OrderTokenCodec } from '../../src/order-tokens/order-token-codec';
import { RedisTokenStore } from '../../src/order-tokens/redis-token-store';
import type { TokenHold } from '../../src/order-tokens/token-store';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../support/redis';

const prefix = uniqueRedisPrefix('token-store');
let redis: Redis;
let store: RedisTokenStore;
let next = 0;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
  store = new RedisTokenStore(redis, prefix);
});

afterAll(async () => {
  redis?.disconnect();
  await deleteRedisPrefix(prefix);
});

const LEASE_MS = 30_000;
const owner = () => `owner-${(next += 1)}`;
const freshTokenId = () => `${Date.now().toString(16)}${(next += 1).toString(16)}`.padEnd(32, '0');

/** Takes the token for a new owner and returns its hold (fails the test if the token was not taken). */
async function take(tokenId: string): Promise<TokenHold> {
  const found = await store.acquire(tokenId, owner(), LEASE_MS);
  if (found.state !== 'acquired') throw new Error(`not acquired: ${found.state}`);
  return found.hold;
}

/** Redis's own clock (epoch ms): what holds are dated and judged by. */
async function redisNow(): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000);
}

/** Records a hold taken `ageMs` ago by Redis's clock, as another instance would have left it. */
async function holdTakenAgo(tokenId: string, ageMs: number): Promise<TokenHold> {
  const hold = { tokenId, owner: owner(), since: (await redisNow()) - ageMs };
  await redis.set(store.keyFor(tokenId), `in-use|${hold.owner}|${hold.since}`, 'KEEPTTL');
  return hold;
}

/** Runs `work` while this process's Date.now() is `skewMs` off, as on an instance whose clock is wrong. */
async function withClockOff<T>(skewMs: number, work: () => Promise<T>): Promise<T> {
  const realNow = Date.now();
  const skewed = jest.spyOn(Date, 'now').mockReturnValue(realNow + skewMs);
  try {
    return await work();
  } finally {
    skewed.mockRestore();
  }
}

describe('RedisTokenStore (real Redis)', () => {
  it('lets exactly one of two holders take an issued token; the other sees it in use', async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 60_000);
    const results = await Promise.all([
      store.acquire(tokenId, owner(), LEASE_MS),
      store.acquire(tokenId, owner(), LEASE_MS),
    ]);
    expect(results.map((result) => result.state).sort()).toEqual(['acquired', 'in-use']);
  });

  it('marks a token used only for its holder, and keeps its expiry', async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 60_000);
    const mine = await take(tokenId);
    expect(await store.markUsed({ ...mine, owner: owner() }, 'order-x')).toBe(false);
    expect(await store.giveBack({ ...mine, since: mine.since - 1 })).toBe(false);
    expect(await store.markUsed(mine, 'order-1')).toBe(true);
    expect(await store.acquire(tokenId, owner(), LEASE_MS)).toEqual({ state: 'used', orderId: 'order-1' });
    expect(await redis.pttl(store.keyFor(tokenId))).toBeGreaterThan(50_000);
  });

  it('gives a token back to issued, so the next holder can take it', async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 60_000);
    const first = await take(tokenId);
    expect(await store.giveBack(first)).toBe(true);
    expect(await redis.get(store.keyFor(tokenId))).toBe('issued');
    expect((await store.acquire(tokenId, owner(), LEASE_MS)).state).toBe('acquired');
  });

  it('lets a new holder take over a hold older than the lease (its holder crashed), but not a fresh one', async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 60_000);
    const crashed = await holdTakenAgo(tokenId, LEASE_MS + 1);
    const taker = await take(tokenId);
    const found = await store.acquire(tokenId, owner(), LEASE_MS);
    expect(found.state).toBe('in-use');
    // What is left of the taker's lease, by Redis's clock: at most the lease, less the call's time.
    const leaseLeftMs = found.state === 'in-use' ? found.leaseLeftMs : 0;
    expect(leaseLeftMs).toBeLessThanOrEqual(LEASE_MS);
    expect(leaseLeftMs).toBeGreaterThan(LEASE_MS - 5_000);
    expect(await redis.get(store.keyFor(tokenId))).toBe(`in-use|${taker.owner}|${taker.since}`);
    expect(await store.markUsed(crashed, 'late-order')).toBe(false);
  });

  // Before, the caller's Date.now() judged another instance's hold: an instance 60 s ahead took
  // over a hold taken a moment ago, one 60 s behind left a crashed holder's token blocked 90 s.
  it("judges a hold by Redis's clock, not the caller's: a caller 60 s ahead leaves a fresh hold alone", async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 120_000);
    await take(tokenId);
    const ahead = await withClockOff(60_000, () => store.acquire(tokenId, owner(), LEASE_MS));
    expect(ahead.state).toBe('in-use');
  });

  it("judges a hold by Redis's clock, not the caller's: a caller 60 s behind takes over a crashed hold", async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 120_000);
    await holdTakenAgo(tokenId, LEASE_MS + 1);
    const behind = await withClockOff(-60_000, () => store.acquire(tokenId, owner(), LEASE_MS));
    expect(behind.state).toBe('acquired');
  });

  it('reports a token it never recorded (or lost) as missing', async () => {
    expect(await store.acquire(freshTokenId(), owner(), LEASE_MS)).toEqual({ state: 'missing' });
  });
});

describe('OrderTokenCodec', () => {
  const codec = new OrderTokenCodec(OrderTokenCodec.deriveSecret('a-jwt-secret-for-tests'));
  const expiresAt = new Date(Date.now() + 60_000);

  it('reads back what it minted for the same customer, and nothing for another customer', () => {
    const { token, tokenId } = codec.mint('alice', expiresAt);
    expect(codec.read(token, 'alice')).toEqual({ tokenId, expiresAt });
    expect(codec.read(token, 'bob')).toBeNull();
  });

  it('refuses a token whose expiry was pushed back, or that another secret signed', () => {
    const { token } = codec.mint('alice', expiresAt);
    const [version, id, , signature] = token.split('.');
    const later = (expiresAt.getTime() + 3_600_000).toString(36);
    expect(codec.read(`${version}.${id}.${later}.${signature}`, 'alice')).toBeNull();
    const other = new OrderTokenCodec(OrderTokenCodec.deriveSecret('another-jwt-secret'));
    expect(other.read(token, 'alice')).toBeNull();
  });

  it('puts 128 random bits in every token', () => {
    const ids = new Set(Array.from({ length: 1_000 }, () => codec.mint('alice', expiresAt).tokenId));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});
