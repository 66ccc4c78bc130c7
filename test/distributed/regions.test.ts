import { loadConfig } from '../../src/config/config';
import { serversMode } from '../support/servers-mode';
import { createRedisConnection, redisOptionsOf, redisReadiness } from '../../src/redis/redis-connection';
import { decodeClaim } from 'graphql-idempotency';
import { claimKey } from '../../src/stores/store-keys';
import type { ClaimRecord } from 'graphql-idempotency';
import { createLogger } from '../../src/observability/logger';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { cancelOrder } from '../orders/lifecycle/lifecycle-client';
import { customerTokens, startInstances } from '../support/instances';
import type { Instances } from '../support/instances';
import { expectOneWholeOrderPerIntent } from '../support/order-audit';
import { startRedisCluster } from '../support/redis-cluster';
import { startRedisServer } from '../support/redis-server';
import { createOrder, newKey, orderIdOf, outcomeOf } from '../support/order-client';
import type { CreateOrderAnswer } from '../support/order-client';
import { testEnvironment } from '../support/server';
import type { ServerAccess } from '../support/server';
import { waitUntil } from '../support/wait';
import { makeIntents, runStorm } from '../support/storm';
import type { StormReport } from '../support/storm';
import type { Intent } from '../support/storm';

const INTENTS = 5;
const CLIENTS_PER_INTENT_PER_REGION = 20;

/** One region: its own Redis (or Redis Cluster) and its own instances; the database is shared. */
interface Region {
  name: string;
  env: Record<string, string>;
  instances: Instances;
  /** Kills the region's Redis (every node of it). */
  killRedis(): Promise<void>;
}

let db: TestDatabase;
const regions: Region[] = [];

/** Region "eu" runs on one redis-server, region "us" on a 3+3 Redis Cluster. */
async function startRegion(name: string, redis: 'standalone' | 'cluster'): Promise<Region> {
  let env: Record<string, string>;
  let killRedis: () => Promise<void>;
  if (redis === 'cluster') {
    const cluster = await startRedisCluster();
    env = testEnvironment(db.url, `region-${name}`, {
      REDIS_CLUSTER_NODES: cluster.nodeList,
      IDEMPOTENCY_LEASE_MS: '3000',
    });
    killRedis = cluster.stop;
  } else {
    const server = await startRedisServer();
    env = testEnvironment(db.url, `region-${name}`, { REDIS_URL: server.url, IDEMPOTENCY_LEASE_MS: '3000' });
    killRedis = server.kill;
  }
  const region: Region = { name, env, killRedis, instances: { stop: async () => undefined } as Instances };
  regions.push(region);
  region.instances = await startInstances(2, env);
  return region;
}

/** What the region's Redis holds for each intent, read through the application's own factory. */
async function claimsIn(region: Region, intents: readonly Intent[]): Promise<ClaimRecord[]> {
  const config = loadConfig(region.env);
  const redis = createRedisConnection(redisOptionsOf(serversMode(config), 2_000), createLogger('silent'));
  try {
    expect(await redisReadiness(redis, 10_000)).toBe('ready');
    // One GET per key: on a Cluster the keys live in different slots, so no MGET across them.
    return await Promise.all(
      intents.map(async (intent) => decodeClaim((await redis.get(claimKeyOf(region, intent)))!)),
    );
  } finally {
    redis.disconnect();
  }
}

beforeAll(async () => {
  db = await createTestDatabase('regions');
  await Promise.all([startRegion('eu', 'standalone'), startRegion('us', 'cluster')]);
}, 90_000);

afterAll(async () => {
  await Promise.all(
    regions.map(async (region) => {
      await region.instances.stop();
      await region.killRedis();
    }),
  );
  await db?.drop();
});

function claimKeyOf(region: Region, intent: Intent): string {
  return claimKey(region.env['REDIS_KEY_PREFIX'], intent.customerId, intent.key);
}

/**
 * Fresh products and intents (each test has its own, so that any test runs alone), sent to both
 * regions at once: `clientsPerIntent` clients per intent in each region.
 */
async function stormBothRegions(
  label: string,
  clientsPerIntent: number,
): Promise<{ intents: Intent[]; reports: StormReport[] }> {
  const [eu, us] = regions as [Region, Region];
  const stock = { [`${label}-A`]: 100, [`${label}-B`]: 100 };
  await seedProducts(db.url, [
    { sku: `${label}-A`, priceCents: 990, stock: 100 },
    { sku: `${label}-B`, priceCents: 10, stock: 100 },
  ]);
  // One signing secret for both regions (the same deployment), so one token works in either.
  const intents = await makeIntents(
    INTENTS,
    [
      { sku: `${label}-A`, quantity: 1 },
      { sku: `${label}-B`, quantity: 3 },
    ],
    customerTokens(eu.env),
  );
  const reports = await Promise.all(
    [eu, us].map((region) =>
      runStorm(`${label} in region ${region.name}`, { targets: region.instances.urls, intents, clientsPerIntent }),
    ),
  );
  for (const report of reports) console.log(report.summary);
  await expectOneWholeOrderPerIntent(
    db,
    reports.flatMap((report) => report.answers),
    stock,
  );
  return { intents, reports };
}

describe('two regions, one on a Redis server and one on a Redis Cluster, each with its own instances, sharing the PostgreSQL database', () => {
  it('turn the same keys arriving in both regions at once into one order each; the losing region hears DATABASE', async () => {
    const { intents, reports } = await stormBothRegions('REGION', CLIENTS_PER_INTENT_PER_REGION);
    for (const intent of intents) {
      const byRegion = reports.map((report) =>
        report.answers.filter((answer) => answer.intent === intent).map((answer) => answer.outcome),
      );
      const winner = byRegion.findIndex((outcomes) => outcomes.includes('OrderCreated'));
      expect(winner).toBeGreaterThanOrEqual(0);
      // The other region never created it: its requests learnt of the order from the database.
      expect(byRegion[1 - winner]).not.toContain('OrderCreated');
      expect(byRegion[1 - winner]).toContain('DuplicateDetected/DATABASE');
    }
  });

  it('warm each region cache from the database, so repeats in either region answer from the CACHE', async () => {
    const { intents } = await stormBothRegions('WARM', 2);
    for (const region of regions) {
      const orderIds = await Promise.all(
        intents.map(
          async (intent) =>
            (await db.query<{ id: string }>('SELECT "id" FROM "Order" WHERE "idempotencyKey" = $1', [intent.key]))[0]
              .id,
        ),
      );
      const records = await claimsIn(region, intents);
      expect(records).toEqual(
        orderIds.map((resourceId): unknown => expect.objectContaining({ state: 'completed', resourceId })),
      );
      const repeats = await runStorm(`repeats in region ${region.name}`, {
        targets: region.instances.urls,
        intents,
        clientsPerIntent: 4,
      });
      console.log(repeats.summary);
      expect(repeats.outcomes).toEqual({ 'DuplicateDetected/CACHE': INTENTS * 4 });
    }
  });

  it('show an order cancelled in one region as it is now in the other, once the database has told every instance', async () => {
    const [eu, us] = regions as [Region, Region];
    await seedProducts(db.url, [{ sku: 'REGION-X', priceCents: 100, stock: 100 }]);
    const tokenFor = customerTokens(eu.env);
    const at = (region: Region, index: number): ServerAccess => ({ url: region.instances.urls()[index], tokenFor });
    const input = { currency: 'EUR', items: [{ sku: 'REGION-X', quantity: 1 }] };
    const seen = (answer: CreateOrderAnswer) =>
      `${outcomeOf(answer)} ${answer.__typename === 'DuplicateDetected' ? answer.originalOrder?.status : '-'}`;
    // Into the Cluster's region, then into the standalone one.
    for (const [here, there] of [
      [eu, us],
      [us, eu],
    ] as const) {
      const customerId = `crossing-${here.name}`;
      const key = newKey('crossing');
      const orderId = orderIdOf(await createOrder(at(here, 0), { customerId }, key, input))!;
      const learnt: string[] = [];
      for (const index of [0, 1, 0, 1])
        learnt.push(seen(await createOrder(at(there, index), { customerId }, key, input)));
      expect(learnt).toEqual([
        'DuplicateDetected/DATABASE CONFIRMED',
        ...Array<string>(3).fill('DuplicateDetected/CACHE CONFIRMED'),
      ]);
      const token = await tokenFor(customerId);
      const cancelled = await cancelOrder(at(here, 1).url, token, { orderId, key: newKey('cancel'), reason: 'moved' });
      expect(cancelled).toMatchObject({ __typename: 'OrderCancelled', order: { status: 'CANCELLED' } });
      for (const index of [0, 1])
        await waitUntil(
          `instance ${index} of region ${there.name} to show ${orderId} CANCELLED`,
          async () => seen(await createOrder(at(there, index), { customerId }, key, input)).endsWith(' CANCELLED'),
          10_000,
          10,
        );
      expect(seen(await createOrder(at(there, 0), { customerId }, key, input))).toBe(
        'DuplicateDetected/CACHE CANCELLED',
      );
    }
  });

  it('still recognise every key in a region whose Redis is gone, from the DATABASE, and still create new orders once', async () => {
    const [eu] = regions as [Region, Region];
    const { intents } = await stormBothRegions('GONE', 2);
    await eu.killRedis();
    const repeats = await runStorm('repeats in region eu without its Redis', {
      targets: eu.instances.urls,
      intents,
      clientsPerIntent: 4,
    });
    console.log(repeats.summary);
    expect(repeats.outcomes).toEqual({ 'DuplicateDetected/DATABASE': INTENTS * 4 });
    await seedProducts(db.url, [{ sku: 'REGION-C', priceCents: 500, stock: 100 }]);
    const fresh = await makeIntents(INTENTS, [{ sku: 'REGION-C', quantity: 2 }], customerTokens(eu.env));
    const storm = await runStorm('new intents in region eu without its Redis', {
      targets: eu.instances.urls,
      intents: fresh,
      clientsPerIntent: CLIENTS_PER_INTENT_PER_REGION,
    });
    console.log(storm.summary);
    await expectOneWholeOrderPerIntent(db, storm.answers, { 'REGION-C': 100 });
  });
});
