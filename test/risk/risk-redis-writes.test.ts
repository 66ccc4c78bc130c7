import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { customerSubject } from '../../src/risk/risk-counters';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { SHIPPED_MODEL_PATH, featureStoreOf, sendOrder } from '../support/risk';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { withTestServer } from '../support/test-server-fixture';

/**
 * What scoring costs in Redis writes (issue 17): an attempt's count-and-read leaves in the rate
 * limiter's write, so a scored create makes the writes an unscored one makes (but for a flag's
 * `holds` update, sent after the answer), while every count stays exact (each attempt once, a
 * refused one taken back).
 */

const cart = (channel: string, quantity = 1) => ({
  currency: 'EUR',
  channel,
  items: [{ sku: 'WRITES-1', quantity }],
  shippingAddress: { line1: '4 Mill Lane', city: 'Leeds', postalCode: 'LS1 4AB', country: 'GB' },
});
const customer = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
const CREATES = 10;

/** A server on a Redis of its own, whose counters say what the server alone sent. */
interface Counted {
  redis: RedisServer;
  client: Redis;
  server: TestServer;
}

let db: TestDatabase;
const counted: Partial<Record<'plain' | 'scored', Counted>> = {};

beforeAll(async () => {
  db = await createTestDatabase('risk_redis_writes');
  await seedProducts(db.url, [{ sku: 'WRITES-1', priceCents: 100, stock: 100_000 }]);
  for (const variant of ['plain', 'scored'] as const) {
    const redis = await startRedisServer();
    const server = await startTestServer(db.url, `risk-writes-${variant}`, {
      REDIS_URL: redis.url,
      // MOBILE flags: a candidate create commits, and (scored) sends its `holds` update.
      SEMANTIC_DUPLICATE_POLICY: 'HOLD,MOBILE:FLAG',
      ...(variant === 'scored' ? { RISK_MODEL_PATH: SHIPPED_MODEL_PATH, RISK_FEATURES_TIMEOUT_MS: '1000' } : {}),
    });
    // A first order and its flagged twin: every script is loaded before anything is counted.
    const warm = customer('warm-up');
    for (let i = 0; i < 2; i++) await sendOrder(server, warm, cart('MOBILE'));
    counted[variant] = { redis, client: new Redis(redis.url), server };
  }
});

afterAll(async () => {
  for (const { redis, client, server } of Object.values(counted)) {
    client.disconnect();
    await server.stop();
    await redis.kill();
  }
  await db?.drop();
});

/**
 * Scripts run (EVALSHA, and EVAL: a script's first call on a fresh server, after NOSCRIPT), and
 * reads Redis made from its clients (one per write a client made), less this client's INFO.
 */
async function redisCounts(client: Redis): Promise<{ scripts: number; reads: number }> {
  const text = await client.info('all');
  const stat = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
  return {
    scripts: stat(/^cmdstat_evalsha:calls=(\d+)/m) + stat(/^cmdstat_eval:calls=(\d+)/m),
    reads: stat(/^total_reads_processed:(\d+)/m),
  };
}

/** `CREATES` creates one at a time; what they cost Redis. */
async function countCreates(target: Counted, kind: 'fresh' | 'candidate') {
  const channel = kind === 'candidate' ? 'MOBILE' : 'WEB';
  const customers = Array.from({ length: CREATES }, () => customer(kind));
  if (kind === 'candidate') for (const who of customers) await sendOrder(target.server, who, cart(channel));
  const before = await redisCounts(target.client);
  for (const who of customers) {
    const result = await sendOrder(target.server, who, cart(channel));
    expect(result.order?.possibleDuplicateOfId != null).toBe(kind === 'candidate');
  }
  // The feedback is fire-and-forget: it left with the completion, let its reply come back.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const after = await redisCounts(target.client);
  return { scripts: after.scripts - before.scripts, reads: after.reads - before.reads - 1 };
}

describe("the attempt's count-and-read rides the rate limiter's write", () => {
  it.each(['fresh', 'candidate'] as const)(
    'a %s scored create sends its count-and-read without a write of its own',
    async (kind) => {
      const plain = await countCreates(counted.plain!, kind);
      const scored = await countCreates(counted.scored!, kind);
      // The calls are sent: one count-and-read per create, and a `holds` update per flagged one
      // (and the sources' refresh, at most once a second, with a write of its own when idle)…
      const calls = CREATES * (kind === 'candidate' ? 2 : 1);
      expect(scored.scripts - plain.scripts).toBeGreaterThanOrEqual(calls);
      expect(scored.scripts - plain.scripts).toBeLessThanOrEqual(calls + 2);
      // …the count-and-read in the writes an unscored create makes (before: one more per create);
      // the `holds` update leaves after the answer, in a write of its own.
      const ownWrites = kind === 'candidate' ? CREATES : 0;
      expect(scored.reads - plain.reads).toBeLessThanOrEqual(ownWrites + 2);
    },
  );
});

// Five new orders per customer a minute: of 12 sent at once, 7 are refused after being counted.
const limited = withTestServer('risk-writes-limited', {
  RISK_MODEL_PATH: SHIPPED_MODEL_PATH,
  ORDER_RATE_LIMIT: '5/60',
  RISK_FEATURES_TIMEOUT_MS: '1000',
});

describe('counted at admission, exactly', () => {
  it('of 12 concurrent new-key orders the limit lets 5 through: those 5 are counted once each, the 7 refused taken back', async () => {
    await seedProducts(limited.db.url, [{ sku: 'WRITES-1', priceCents: 100, stock: 100_000 }]);
    const ann = customer('ann');
    // Different quantities: different carts, so nothing is a possible duplicate of anything.
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => sendOrder(limited.server, ann, cart('WEB', i + 1))),
    );
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(7);
    for (const refusal of refused) expect(String(refusal.reason)).toMatch(/RATE_LIMITED/);

    // A refusal's withdrawal leaves before its claim's release, which its answer waits for: no wait needed.
    const after = await featureStoreOf(limited.server).record(customerSubject(ann), {}, Date.now());
    expect(after.arrivals).toEqual({ last1m: 5, last10m: 5, last60m: 5 });
    // Decayed counters: what each refused attempt added decayed for the milliseconds until it was
    // taken back (1 − 2^(−ms / 1 h) each), and the five kept ones since.
    expect(after.recent.orders).toBeCloseTo(5, 2);
    expect(after.recent.requests).toBeCloseTo(5, 2);
    expect(after.history.orders).toBeCloseTo(5, 2);
  });
});
