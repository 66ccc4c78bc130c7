import { Redis } from 'ioredis';
import { decodeClaim } from '../../src/idempotency/claim-store';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { customerTokens, startInstances } from '../support/instances';
import type { Instances } from '../support/instances';
import { expectOneWholeOrderPerIntent } from '../support/order-audit';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { testEnvironment } from '../support/server';
import { makeIntents, runStorm } from '../support/storm';
import type { Intent } from '../support/storm';

const INTENTS = 5;
const CLIENTS_PER_INTENT_PER_REGION = 20;

/** One region: its own Redis and its own server instances; the PostgreSQL database is shared. */
interface Region {
  name: string;
  redis: RedisServer;
  env: Record<string, string>;
  instances: Instances;
}

let db: TestDatabase;
const regions: Region[] = [];

async function startRegion(name: string): Promise<Region> {
  const redis = await startRedisServer();
  const env = testEnvironment(db.url, `region-${name}`, { REDIS_URL: redis.url, IDEMPOTENCY_LEASE_MS: '3000' });
  const region = { name, redis, env, instances: await startInstances(2, env) };
  regions.push(region);
  return region;
}

beforeAll(async () => {
  db = await createTestDatabase('regions');
  await Promise.all([startRegion('eu'), startRegion('us')]);
}, 60_000);

afterAll(async () => {
  await Promise.all(regions.map(async (region) => {
    await region.instances.stop();
    await region.redis.kill();
  }));
  await db?.drop();
});

function claimKey(region: Region, intent: Intent): string {
  return `${region.env['REDIS_KEY_PREFIX']}:idem:{${encodeURIComponent(intent.customerId)}:${intent.key}}`;
}

describe('two regions, each with its own Redis and instances, sharing the PostgreSQL database', () => {
  let intents: Intent[];

  it('turn the same keys arriving in both regions at once into one order each; the losing region hears DATABASE', async () => {
    const [eu, us] = regions as [Region, Region];
    await seedProducts(db.url, [{ sku: 'REGION-A', priceCents: 990, stock: 100 }, { sku: 'REGION-B', priceCents: 10, stock: 100 }]);
    // One signing secret for both regions (the same deployment), so one token works in either.
    intents = await makeIntents(INTENTS, [{ sku: 'REGION-A', quantity: 1 }, { sku: 'REGION-B', quantity: 3 }], customerTokens(eu.env));
    const reports = await Promise.all(
      [eu, us].map((region) => runStorm(`region ${region.name}`, { targets: region.instances.urls, intents, clientsPerIntent: CLIENTS_PER_INTENT_PER_REGION })),
    );
    for (const report of reports) console.log(report.summary);
    await expectOneWholeOrderPerIntent(db, reports.flatMap((report) => report.answers), { 'REGION-A': 100, 'REGION-B': 100 });
    for (const intent of intents) {
      const byRegion = reports.map((report) => report.answers.filter((answer) => answer.intent === intent).map((answer) => answer.outcome));
      const winner = byRegion.findIndex((outcomes) => outcomes.includes('OrderCreated'));
      expect(winner).toBeGreaterThanOrEqual(0);
      // The other region never created it: its requests learnt of the order from the database.
      expect(byRegion[1 - winner]).not.toContain('OrderCreated');
      expect(byRegion[1 - winner]).toContain('DuplicateDetected/DATABASE');
    }
  });

  it('warm each region cache from the database, so repeats in either region answer from the CACHE', async () => {
    for (const region of regions) {
      const redis = new Redis(region.redis.url);
      try {
        const records = (await redis.mget(...intents.map((intent) => claimKey(region, intent)))).map((value) => decodeClaim(value!));
        expect(records.map((record) => record.state)).toEqual(intents.map(() => 'completed'));
      } finally {
        redis.disconnect();
      }
      const repeats = await runStorm(`repeats in region ${region.name}`, { targets: region.instances.urls, intents, clientsPerIntent: 4 });
      console.log(repeats.summary);
      expect(repeats.outcomes).toEqual({ 'DuplicateDetected/CACHE': INTENTS * 4 });
    }
  });

  it('still recognise every key in a region whose Redis is gone, from the DATABASE, and still create new orders once', async () => {
    const [eu] = regions as [Region, Region];
    await eu.redis.kill();
    const repeats = await runStorm('repeats in region eu without its Redis', { targets: eu.instances.urls, intents, clientsPerIntent: 4 });
    console.log(repeats.summary);
    expect(repeats.outcomes).toEqual({ 'DuplicateDetected/DATABASE': INTENTS * 4 });
    await seedProducts(db.url, [{ sku: 'REGION-C', priceCents: 500, stock: 100 }]);
    const fresh = await makeIntents(INTENTS, [{ sku: 'REGION-C', quantity: 2 }], customerTokens(eu.env));
    const storm = await runStorm('new intents in region eu without its Redis', { targets: eu.instances.urls, intents: fresh, clientsPerIntent: CLIENTS_PER_INTENT_PER_REGION });
    console.log(storm.summary);
    await expectOneWholeOrderPerIntent(db, storm.answers, { 'REGION-C': 100 });
  });
});
