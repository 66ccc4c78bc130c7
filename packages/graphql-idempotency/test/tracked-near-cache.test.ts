import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisClaimStore, TrackedNearCacheClaimStore, claimStoreKey, encodeClaim } from '../src';
import type { ClaimScope, CompletedClaim, PendingClaim } from '../src';
import { REDIS_URL, connectRedis, dropPrefix, uniquePrefix } from './support';

// The near cache kept true by Redis (CLIENT TRACKING): two instances, each with connections of its
// own as two processes would have, against a real Redis.

/** One instance's store: its own claim connection, tracked reader and invalidation subscriber. */
interface Instance {
  store: TrackedNearCacheClaimStore;
  main: Redis;
  reader: Redis;
  subscriber: Redis;
  /** Redis reads made through the tracked reader (what a hit saves). */
  reads: number;
  close(): void;
}

let admin: Redis;
let prefix: string;
const instances: Instance[] = [];

beforeAll(async () => {
  admin = await connectRedis();
  prefix = uniquePrefix('tracked');
});
afterEach(() => {
  for (const instance of instances.splice(0)) instance.close();
});
afterAll(() => dropPrefix(admin, prefix));

async function openInstance(): Promise<Instance> {
  const name = `gi-test-${randomBytes(4).toString('hex')}`;
  const main = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const reader = new Redis(REDIS_URL, { connectionName: `${name}-reader`, maxRetriesPerRequest: 1 });
  const subscriber = new Redis(REDIS_URL, { connectionName: `${name}-sub`, autoResubscribe: false });
  const store = new TrackedNearCacheClaimStore(new RedisClaimStore(main, prefix), { reader, subscriber });
  const instance: Instance = {
    store,
    main,
    reader,
    subscriber,
    reads: 0,
    close() {
      store.close();
      main.disconnect();
    },
  };
  const get = reader.get.bind(reader);
  reader.get = (key: string) => {
    instance.reads += 1;
    return get(key);
  };
  instances.push(instance);
  await until(() => store.live);
  return instance;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/**
 * Waits until everything Redis sent this instance's subscriber before now has been handled: a
 * PING's answer comes after it on the same connection.
 */
async function drained(instance: Instance): Promise<void> {
  await instance.subscriber.ping();
}

/** Kills one of an instance's connections on the server, as a network failure or a restart would. */
async function killConnection(connection: Redis): Promise<void> {
  const list = (await admin.client('LIST')) as string;
  const line = list.split('\n').find((entry) => entry.includes(` name=${connection.options.connectionName} `));
  const id = line?.match(/^id=(\d+)/)?.[1];
  if (!id) throw new Error(`no connection named ${connection.options.connectionName}`);
  await admin.client('KILL', 'ID', id);
}

const scopeOf = (): ClaimScope => ({ operation: 'createThing', scope: 'customer-1', key: `k-${randomUUID()}` });
const pendingClaim = (): PendingClaim => ({
  state: 'pending',
  fingerprint: 'f',
  owner: randomUUID(),
  claimedAt: Date.now(),
});
const completed = (replay: string, resourceId = 'thing-1'): CompletedClaim => ({
  state: 'completed',
  fingerprint: 'f',
  resourceId,
  firstSeenAt: 1_700_000_000_000,
  replay,
});

describe('TrackedNearCacheClaimStore', () => {
  it('answers a completed key from memory after one read, and sees another instance’s rewrite at once', async () => {
    const [a, b] = [await openInstance(), await openInstance()];
    const scope = scopeOf();
    await b.store.remember(scope, completed('first'), 60_000);
    expect(await a.store.read(scope)).toEqual(completed('first'));
    expect(await a.store.read(scope)).toEqual(completed('first'));
    expect(a.reads).toBe(1);

    await b.store.remember(scope, completed('rewritten'), 60_000);
    await drained(a);
    expect(await a.store.read(scope)).toEqual(completed('rewritten'));
    expect(a.reads).toBe(2);
  });

  it('rewrites only a key Redis holds (replaceIfPresent), and every instance forgets its copy', async () => {
    const [a, b] = [await openInstance(), await openInstance()];
    const scope = scopeOf();
    expect(await b.store.replaceIfPresent(scope, completed('news'))).toBe(false);
    expect(await a.store.read(scope)).toBeNull();

    await b.store.remember(scope, completed('first'), 60_000);
    expect(await a.store.read(scope)).toEqual(completed('first'));
    expect(await b.store.read(scope)).toEqual(completed('first'));
    expect(await b.store.replaceIfPresent(scope, completed('news'))).toBe(true);
    await drained(a);
    expect(await a.store.read(scope)).toEqual(completed('news'));
    expect(await b.store.read(scope)).toEqual(completed('news'));
  });

  it('sees a write that did not go through any store (a script, a deletion) as Redis makes it', async () => {
    const a = await openInstance();
    const scope = scopeOf();
    const key = claimStoreKey(prefix, scope);
    await admin.set(key, encodeClaim(completed('first')), 'PX', 60_000);
    await a.store.read(scope);
    await admin.eval("redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')", 1, key, encodeClaim(completed('by-lua')));
    await drained(a);
    expect(await a.store.read(scope)).toEqual(completed('by-lua'));
    await admin.del(key);
    await drained(a);
    expect(await a.store.read(scope)).toBeNull();
  });

  it('keeps a record no longer than its key lives in Redis', async () => {
    const a = await openInstance();
    const scope = scopeOf();
    await admin.set(claimStoreKey(prefix, scope), encodeClaim(completed('short')), 'PX', 150);
    expect(await a.store.read(scope)).toEqual(completed('short'));
    await sleep(200);
    expect(await a.store.read(scope)).toBeNull();
  });

  it('does not keep what it read when the key changed while the read was under way', async () => {
    const [a, b] = [await openInstance(), await openInstance()];
    const scope = scopeOf();
    await b.store.remember(scope, completed('before'), 60_000);
    // Hold the reader's answer back after Redis executed the GET (so the key is tracked) ...
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const get = a.reader.get.bind(a.reader);
    a.reader.get = async (key: string) => {
      const value = await get(key);
      await held;
      return value;
    };
    const reading = a.store.read(scope);
    await until(() => a.reads === 1);
    await sleep(20);
    // ... and change the key meanwhile: the invalidation arrives during the fetch.
    await b.store.remember(scope, completed('after'), 60_000);
    await drained(a);
    release();
    expect(await reading).toEqual(completed('before'));
    a.reader.get = get;
    expect(await a.store.read(scope)).toEqual(completed('after'));
  });

  it('forgets everything and reads Redis while its invalidation connection is lost, and tracks again once it is back', async () => {
    const [a, b] = [await openInstance(), await openInstance()];
    const scope = scopeOf();
    await b.store.remember(scope, completed('first'), 60_000);
    await a.store.read(scope);
    await killConnection(a.subscriber);
    await until(() => !a.store.live);
    // Written while nobody could tell a: a's copy must not be answered any more.
    await b.store.remember(scope, completed('during-outage'), 60_000);
    expect(await a.store.read(scope)).toEqual(completed('during-outage'));
    await until(() => a.store.live);
    const reads = a.reads;
    expect(await a.store.read(scope)).toEqual(completed('during-outage'));
    expect(await a.store.read(scope)).toEqual(completed('during-outage'));
    expect(a.reads).toBe(reads + 1);
    // Tracking works again: a rewrite reaches a.
    await b.store.remember(scope, completed('after-outage'), 60_000);
    await drained(a);
    expect(await a.store.read(scope)).toEqual(completed('after-outage'));
  });

  it('forgets everything when its tracked reader’s connection is lost (Redis drops its tracking)', async () => {
    const [a, b] = [await openInstance(), await openInstance()];
    const scope = scopeOf();
    await b.store.remember(scope, completed('first'), 60_000);
    await a.store.read(scope);
    await killConnection(a.reader);
    await until(() => !a.store.live);
    await b.store.remember(scope, completed('while-reconnecting'), 60_000);
    await until(() => a.store.live);
    expect(await a.store.read(scope)).toEqual(completed('while-reconnecting'));
    await b.store.remember(scope, completed('tracked-again'), 60_000);
    await drained(a);
    expect(await a.store.read(scope)).toEqual(completed('tracked-again'));
  });

  it('answers a claim on a completed key it keeps from memory, and one rewritten since from Redis', async () => {
    const [a, b] = [await openInstance(), await openInstance()];
    const scope = scopeOf();
    await b.store.remember(scope, completed('first'), 60_000);
    await a.store.read(scope);
    const set = jest.spyOn(a.main, 'set');
    const pending = pendingClaim();
    expect(await a.store.claim(scope, pending, 5_000)).toEqual(completed('first'));
    expect(set).not.toHaveBeenCalled();
    await b.store.remember(scope, completed('rewritten'), 60_000);
    await drained(a);
    expect(await a.store.claim(scope, pending, 5_000)).toEqual(completed('rewritten'));
    expect(set).toHaveBeenCalledTimes(1);
  });

  it('reads a completed key a claim met once through its tracked reader, so the next claim is answered from memory', async () => {
    const [a, b] = [await openInstance(), await openInstance()];
    const scope = scopeOf();
    await b.store.remember(scope, completed('first'), 60_000);
    const set = jest.spyOn(a.main, 'set');
    const pending = pendingClaim();
    expect(await a.store.claim(scope, pending, 5_000)).toEqual(completed('first'));
    expect(set).toHaveBeenCalledTimes(1);
    await until(() => a.reads === 1);
    // The warming read's replies came before the PING's; what they resume is done before a timer runs.
    await a.reader.ping();
    await sleep(0);
    expect(await a.store.claim(scope, pending, 5_000)).toEqual(completed('first'));
    expect(set).toHaveBeenCalledTimes(1);
    await b.store.remember(scope, completed('rewritten'), 60_000);
    await drained(a);
    expect(await a.store.claim(scope, pending, 5_000)).toEqual(completed('rewritten'));
    expect(set).toHaveBeenCalledTimes(2);
  });

  it('keeps no pending claim (it changes as its request ends)', async () => {
    const a = await openInstance();
    const scope = scopeOf();
    const pending = pendingClaim();
    expect(await a.store.claim(scope, pending, 5_000)).toBeNull();
    expect(await a.store.read(scope)).toEqual(pending);
    expect(await a.store.read(scope)).toEqual(pending);
    expect(a.reads).toBe(2);
  });
});

// The README makes the store's two connections inline (`redis.duplicate()`), where nothing listens
// for their 'error' events: with Redis down, ioredis printed "[ioredis] Unhandled error event" with a
// stack for each of them at every reconnection attempt, beside the main client's own report.
describe('the store with Redis down', () => {
  it("listens for its own connections' errors (the main client reports the outage)", async () => {
    const deadPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const main = new Redis(deadPort, '127.0.0.1', { lazyConnect: true });
    const reader = main.duplicate({ lazyConnect: false });
    const subscriber = main.duplicate({ lazyConnect: false, autoResubscribe: false });
    const store = new TrackedNearCacheClaimStore(new RedisClaimStore(main, prefix), { reader, subscriber });
    try {
      await sleep(300); // a few failed attempts
      expect([reader.listenerCount('error'), subscriber.listenerCount('error')]).toEqual([1, 1]);
      expect([reader.status, subscriber.status]).not.toContain('ready');
    } finally {
      store.close();
      main.disconnect();
    }
  });
});
