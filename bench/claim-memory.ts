import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { claimKey } from '../src/stores/store-keys';
import { createOrderThrough, customerIdOf } from './harness/bench-environment';
import type { BenchEnvironment } from './harness/bench-environment';

/** Items of the orders whose completed keys are weighed. */
export const CLAIM_SIZES = [1, 3, 20] as const;

/** A delivery address of ordinary length, as most orders carry one. */
const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '12 Example Street',
  city: 'London',
  postalCode: 'NW1 6XE',
  country: 'GB',
};

/** Redis memory of one completed key (`MEMORY USAGE`, bytes: key, value and overhead), by the order's item count. */
export type ClaimBytes = Record<string, number>;

/**
 * Places one order of each size through the server (a UUID key, as clients send, and an address),
 * then asks Redis what its completed claim costs. The server's own Redis prefix, so the key names
 * are as long as in production under that prefix.
 */
export async function measureClaimBytes(environment: BenchEnvironment, redisUrl: string): Promise<ClaimBytes> {
  const { fixtures, servers, serverEnv } = environment;
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    const bytes: ClaimBytes = {};
    for (const size of CLAIM_SIZES) {
      const customer = size % fixtures.tokens.length;
      const key = randomUUID();
      const items = Array.from({ length: size }, (_, line) => ({
        sku: fixtures.skus[(line * 3 + size) % fixtures.skus.length],
        quantity: 1 + line,
      }));
      await createOrderThrough(servers.main.url, fixtures.tokens[customer], key, {
        currency: 'EUR',
        items,
        shippingAddress: ADDRESS,
      });
      const name = claimKey(serverEnv.REDIS_KEY_PREFIX, customerIdOf(customer), key);
      const usage = (await redis.call('MEMORY', 'USAGE', name, 'SAMPLES', '0')) as number | null;
      if (usage === null) throw new Error(`no completed claim at ${name}`);
      bytes[String(size)] = usage;
    }
    return bytes;
  } finally {
    redis.disconnect();
  }
}
