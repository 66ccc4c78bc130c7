import type { Redis } from 'ioredis';
import { ClaimTakenOver, IdempotencyGuard, MemoryClaimStore, RedisClaimStore, replayPolicy } from '../src';
import type { ClaimStore } from '../src';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// A mutation that outlives its lease, with nobody competing: its completion was a compare-and-set
// on its own pending claim, which had expired, so nothing was stored and nothing said. Every retry
// of the key ran again (three calls, three executions). The key being free, the completed record
// is now stored; a completion refused because another claim holds the key is reported.
let redis: Redis;
let prefix: string;
beforeAll(async () => {
  redis = await connectRedis();
  prefix = uniquePrefix('late-completion');
});
afterAll(() => dropPrefix(redis, prefix));

const stores: Record<string, () => ClaimStore> = {
  redis: () => new RedisClaimStore(redis, prefix),
  memory: () => new MemoryClaimStore(),
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function guardOn(store: ClaimStore, failures: [string, unknown][]): IdempotencyGuard {
  return new IdempotencyGuard(store, {
    leaseMs: 30_000,
    retentionMs: 60_000,
    retryAfterMs: 20,
    storeTimeoutMs: 1_000,
    onStoreFailure: (operation, error) => failures.push([operation, error]),
  });
}

describe.each(Object.keys(stores))('a mutation that outlives its lease (%s store)', (kind) => {
  it('is remembered when nobody claimed the key since: its retries get the first answer', async () => {
    const failures: [string, unknown][] = [];
    const guard = guardOn(stores[kind](), failures);
    const policy = replayPolicy('slow', { scope: () => 'customer-1', leaseMs: 500 });
    let executions = 0;
    const send = () =>
      guard.run(policy, { idempotencyKey: `slow-${kind}-0001`, title: 't' }, {}, async () => {
        executions += 1;
        await sleep(800);
        return `created ${executions}`;
      });
    expect(await send()).toBe('created 1');
    expect(await send()).toBe('created 1');
    expect(await send()).toBe('created 1');
    expect(executions).toBe(1);
    expect(failures).toEqual([]);
  });

  it('leaves a newer claim alone, and reports the completion it could not store', async () => {
    const failures: [string, unknown][] = [];
    const guard = guardOn(stores[kind](), failures);
    const key = `taken-over-${kind}-0001`;
    const policy = replayPolicy('slow', { scope: () => 'customer-1', leaseMs: 300 });
    let finishSecond!: () => void;
    const first = guard.run(policy, { idempotencyKey: key }, {}, async () => {
      await sleep(700);
      return 'first';
    });
    await sleep(450); // the first's lease is over, and it still runs: the second claims the key
    const second = guard.run(
      replayPolicy('slow', { scope: () => 'customer-1' }),
      { idempotencyKey: key },
      {},
      () => new Promise<string>((resolve) => (finishSecond = () => resolve('second'))),
    );
    expect(await first).toBe('first');
    expect(failures).toEqual([['complete', expect.any(ClaimTakenOver)]]);
    expect(String(failures[0]?.[1])).toContain(`slow/customer-1/${key}`);
    expect(String(failures[0]?.[1])).toMatch(/longer than its lease \(300 ms\).*make leaseMs longer/);
    finishSecond();
    expect(await second).toBe('second');
    const repeat = await guard.run(policy, { idempotencyKey: key }, {}, async () => 'third');
    expect(repeat).toBe('second');
  });
});

// A claim removed well within its lease (FLUSHALL, an eviction) and claimed again by a retry: the
// warning said "ran longer than its lease … make leaseMs longer" for a request of a few ms.
it('says a claim removed within its lease was removed, and does not blame the lease', async () => {
  const failures: [string, unknown][] = [];
  const guard = guardOn(new RedisClaimStore(redis, prefix), failures);
  const key = 'flushed-redis-0001';
  const policy = replayPolicy('quick', { scope: () => 'customer-1' });
  let finishSecond!: () => void;
  const first = guard.run(policy, { idempotencyKey: key }, {}, async () => {
    const keys = await redis.keys(`${prefix}*${key}*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys); // the store loses the claim (FLUSHALL)
    void guard.run(
      policy,
      { idempotencyKey: key },
      {},
      () => new Promise<string>((resolve) => (finishSecond = () => resolve('second'))),
    );
    await sleep(50);
    return 'first';
  });
  expect(await first).toBe('first');
  finishSecond();
  expect(failures).toEqual([['complete', expect.any(ClaimTakenOver)]]);
  const message = String(failures[0]?.[1]);
  expect(message).toContain('was removed after');
  expect(message).not.toContain('make leaseMs longer');
  expect((failures[0]?.[1] as ClaimTakenOver).elapsedMs).toBeLessThan(30_000);
});
