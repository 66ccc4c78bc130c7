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
const hold = (tokenId: string, since = Date.now()): TokenHold => ({ tokenId, owner: `owner-${(next += 1)}`, since });
const freshTokenId = () => `${Date.now().toString(16)}${(next += 1).toString(16)}`.padEnd(32, '0');

describe('RedisTokenStore (real Redis)', () => {
  it('lets exactly one of two holders take an issued token; the other sees it in use', async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 60_000);
    const [a, b] = [hold(tokenId), hold(tokenId)];
    const results = await Promise.all([store.acquire(a, LEASE_MS), store.acquire(b, LEASE_MS)]);
    expect(results.map((result) => result.state).sort()).toEqual(['acquired', 'in-use']);
  });

  it('marks a token used only for its holder, and keeps its expiry', async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 60_000);
    const mine = hold(tokenId);
    expect(await store.acquire(mine, LEASE_MS)).toEqual({ state: 'acquired' });
    expect(await store.markUsed(hold(tokenId), 'order-x')).toBe(false);
    expect(await store.giveBack(hold(tokenId))).toBe(false);
    expect(await store.markUsed(mine, 'order-1')).toBe(true);
    expect(await store.acquire(hold(tokenId), LEASE_MS)).toEqual({ state: 'used', orderId: 'order-1' });
    expect(await redis.pttl(store.keyFor(tokenId))).toBeGreaterThan(50_000);
  });

  it('gives a token back to issued, so the next holder can take it', async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 60_000);
    const first = hold(tokenId);
    await store.acquire(first, LEASE_MS);
    expect(await store.giveBack(first)).toBe(true);
    expect(await redis.get(store.keyFor(tokenId))).toBe('issued');
    expect(await store.acquire(hold(tokenId), LEASE_MS)).toEqual({ state: 'acquired' });
  });

  it('lets a new holder take over a hold older than the lease (its holder crashed), but not a fresh one', async () => {
    const tokenId = freshTokenId();
    await store.issue(tokenId, Date.now() + 60_000);
    const crashed = hold(tokenId, Date.now() - LEASE_MS - 1);
    await store.acquire(crashed, LEASE_MS);
    const taker = hold(tokenId);
    expect(await store.acquire(taker, LEASE_MS)).toEqual({ state: 'acquired' });
    expect(await store.acquire(hold(tokenId), LEASE_MS)).toEqual({ state: 'in-use', since: taker.since });
    expect(await store.markUsed(crashed, 'late-order')).toBe(false);
  });

  it('reports a token it never recorded (or lost) as missing', async () => {
    expect(await store.acquire(hold(freshTokenId()), LEASE_MS)).toEqual({ state: 'missing' });
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
