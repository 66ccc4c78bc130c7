import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startDelayProxy } from '../support/delay-proxy';
import type { DelayProxy } from '../support/delay-proxy';
import { customerTokens, startInstances } from '../support/instances';
import type { Instances } from '../support/instances';
import { expectOneWholeOrderPerIntent } from '../support/order-audit';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { testEnvironment } from '../support/server';
import { makeIntents, runStorm } from '../support/storm';

const INTENTS = 5;
const CLIENTS_PER_INTENT = 40;
/** The servers' Redis budget (REDIS_TIMEOUT_MS): the delays below straddle it. */
const REDIS_TIMEOUT_MS = 50;

let db: TestDatabase;
let redis: RedisServer;
let proxy: DelayProxy;
let env: Record<string, string>;
let instances: Instances;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase('slow_redis'), startRedisServer()]);
  proxy = await startDelayProxy(redis.port);
  env = testEnvironment(db.url, 'slow-redis', {
    REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
    REDIS_TIMEOUT_MS: String(REDIS_TIMEOUT_MS),
    IDEMPOTENCY_LEASE_MS: '3000',
  });
  instances = await startInstances(2, env);
}, 60_000);

afterAll(async () => {
  await instances?.stop();
  await proxy?.close();
  await Promise.all([redis?.kill(), db?.drop()]);
});

describe('with Redis made slow by a delaying proxy', () => {
  it('keeps one order per intent while Redis answers sometimes within the budget and sometimes after it', async () => {
    await seedProducts(db.url, [
      { sku: 'SLOW-A', priceCents: 120, stock: 500 },
      { sku: 'SLOW-B', priceCents: 80, stock: 500 },
    ]);
    const intents = await makeIntents(
      INTENTS,
      [
        { sku: 'SLOW-A', quantity: 1 },
        { sku: 'SLOW-B', quantity: 2 },
      ],
      customerTokens(env),
    );
    // Each chunk waits 0–120 ms each way: claims land in time, land late (after the guard gave
    // up and went on unclaimed), or time out, all within one storm.
    const fallbacksBefore = await instances.claimStoreFallbacks();
    proxy.countOver(REDIS_TIMEOUT_MS);
    proxy.setDelay(() => Math.random() * 2.4 * REDIS_TIMEOUT_MS);
    const report = await runStorm('redis slowed to 0-120 ms per chunk', {
      targets: instances.urls,
      intents,
      clientsPerIntent: CLIENTS_PER_INTENT,
      spreadMs: 2_000,
    });
    proxy.setDelay(() => 0);
    const fallbacks = (await instances.claimStoreFallbacks()) - fallbacksBefore;
    console.log(
      `${report.summary}; chunks held over the budget ${proxy.stats.delayedOver} of ${proxy.stats.chunks}; claims that fell back ${fallbacks}`,
    );
    // The fault happened: chunks were held past the budget, and claims really went down the database path.
    expect(proxy.stats.delayedOver).toBeGreaterThan(0);
    expect(fallbacks).toBeGreaterThan(0);
    await expectOneWholeOrderPerIntent(db, report.answers, { 'SLOW-A': 500, 'SLOW-B': 500 });
  });
});
