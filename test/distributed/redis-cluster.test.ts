import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config/config';
import { serversMode } from '../support/servers-mode';
import { createRedisConnection, redisOptionsOf, redisReadiness } from '../../src/redis/redis-connection';
import type { RedisConnection } from '../../src/redis/redis-connection';
import type { PendingClaim } from 'graphql-idempotency';
import { RedisClaimStore, decodeClaim, encodeClaim } from 'graphql-idempotency';
import { createLogger } from '../../src/observability/logger';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { customerTokens, startInstances } from '../support/instances';
import type { Instances } from '../support/instances';
import { expectOneWholeOrderPerIntent } from '../support/order-audit';
import { onNode, startRedisCluster } from '../support/redis-cluster';
import type { RedisCluster } from '../support/redis-cluster';
import { testEnvironment } from '../support/server';
import { makeIntents, runStorm } from '../support/storm';
import { claimKey, claimKeyPrefix } from '../../src/stores/store-keys';

const INTENTS = 5;
const CLIENTS_PER_INTENT = 40;

let cluster: RedisCluster;
let db: TestDatabase;
let env: Record<string, string>;
let instances: Instances;

beforeAll(async () => {
  [cluster, db] = await Promise.all([startRedisCluster(), createTestDatabase('cluster')]);
  env = testEnvironment(db.url, 'cluster', { REDIS_CLUSTER_NODES: cluster.nodeList, IDEMPOTENCY_LEASE_MS: '5000' });
  instances = await startInstances(3, env);
}, 90_000);

afterAll(async () => {
  await instances?.stop();
  await Promise.all([cluster?.stop(), db?.drop()]);
});

function pending(): PendingClaim {
  return { state: 'pending', fingerprint: 'f'.repeat(64), owner: randomUUID(), claimedAt: Date.now() };
}

describe('the claim store on a real Redis Cluster', () => {
  let connection: RedisConnection;
  let store: RedisClaimStore;

  beforeAll(async () => {
    const config = loadConfig(env);
    connection = createRedisConnection(redisOptionsOf(serversMode(config), 2_000), createLogger('silent'));
    store = new RedisClaimStore(connection, claimKeyPrefix(config.redisKeyPrefix));
    expect(await redisReadiness(connection, 5_000)).toBe('ready');
  });
  afterAll(() => connection.quit());

  it('claims with one SET NX PX GET, and follows ASK and MOVED while the key slot migrates to another master', async () => {
    const scope = { operation: 'createOrder', scope: 'cluster:{odd}', key: `key-${randomUUID()}` };
    const claimKey = store.keyFor(scope);
    const source = await cluster.masterPortFor(claimKey);
    const masters = await Promise.all(
      cluster.nodes.map(async (node) => ({ port: node.port, role: await onNode(node.port, (r) => r.call('ROLE')) })),
    );
    const target = masters.find((node) => node.port !== source && (node.role as string[])[0] === 'master')!.port;
    const slot = (await onNode(source, (r) => r.call('CLUSTER', 'KEYSLOT', claimKey))) as number;
    const sourceId = (await onNode(source, (r) => r.call('CLUSTER', 'MYID'))) as string;
    const targetId = (await onNode(target, (r) => r.call('CLUSTER', 'MYID'))) as string;

    // Half-way through a migration, the source answers ASK for keys it does not hold.
    await onNode(target, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', sourceId));
    await onNode(source, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', targetId));
    const first = pending();
    expect(await store.claim(scope, first, 5_000)).toBeNull();
    expect(await onNode(target, (r) => r.call('ASKING').then(() => r.get(claimKey)))).toContain(first.owner);
    expect(await store.claim(scope, pending(), 5_000)).toEqual(first);

    // Migration done: the client's slot map is stale and the source answers MOVED.
    for (const node of masters.filter((node) => (node.role as string[])[0] === 'master')) {
      await onNode(node.port, (r) => r.call('CLUSTER', 'SETSLOT', slot, 'NODE', targetId));
    }
    const completed = {
      state: 'completed' as const,
      fingerprint: first.fingerprint,
      resourceId: randomUUID(),
      firstSeenAt: Date.now(),
    };
    expect(await store.complete(scope, first, completed, 60_000)).toBe(true);
    // As the store keeps it (version 3 keeps 128 bits of the fingerprint).
    expect(await store.claim(scope, pending(), 5_000)).toEqual(decodeClaim(encodeClaim(completed)));
    expect(await store.release(scope, first)).toBe(false);
    expect(await onNode(target, (r) => r.get(claimKey))).toBe(encodeClaim(completed));
  });
});

describe('several server processes on one Redis Cluster', () => {
  it(`turn a storm of ${INTENTS} intents × ${CLIENTS_PER_INTENT} requests into exactly ${INTENTS} orders`, async () => {
    await seedProducts(db.url, [
      { sku: 'CLUSTER-A', priceCents: 300, stock: 100 },
      { sku: 'CLUSTER-B', priceCents: 50, stock: 100 },
    ]);
    const intents = await makeIntents(
      INTENTS,
      [
        { sku: 'CLUSTER-A', quantity: 1 },
        { sku: 'CLUSTER-B', quantity: 2 },
      ],
      customerTokens(env),
    );
    const report = await runStorm('redis cluster, 3 instances', {
      targets: instances.urls,
      intents,
      clientsPerIntent: CLIENTS_PER_INTENT,
    });
    console.log(report.summary);
    await expectOneWholeOrderPerIntent(db, report.answers, { 'CLUSTER-A': 100, 'CLUSTER-B': 100 });
    expect(report.outcomes['OrderCreated']).toBe(INTENTS);
  });

  it('keep it at one order per intent when the master holding a key is killed mid-storm and its replica takes over', async () => {
    await seedProducts(db.url, [
      { sku: 'FAILOVER-A', priceCents: 300, stock: 100 },
      { sku: 'FAILOVER-B', priceCents: 50, stock: 100 },
    ]);
    const intents = await makeIntents(
      INTENTS,
      [
        { sku: 'FAILOVER-A', quantity: 1 },
        { sku: 'FAILOVER-B', quantity: 2 },
      ],
      customerTokens(env),
    );
    const victimKey = claimKey(env['REDIS_KEY_PREFIX'], intents[0].customerId, intents[0].key);
    let failover: Promise<number> | undefined;
    const report = await runStorm('redis cluster, master killed mid-storm', {
      targets: instances.urls,
      intents,
      clientsPerIntent: CLIENTS_PER_INTENT,
      spreadMs: 4_000,
      onAnswer: (answered) => {
        if (answered === 20) failover = cluster.failOverMasterOf(victimKey);
      },
    });
    const killedPort = await failover!;
    console.log(
      `${report.summary}; killed master :${killedPort}, now served by :${await cluster.masterPortFor(victimKey)}`,
    );
    await expectOneWholeOrderPerIntent(db, report.answers, { 'FAILOVER-A': 100, 'FAILOVER-B': 100 });
    // After the failover the cluster serves the key again: repeats come from the cache once warmed.
    const again = await runStorm('after failover', {
      targets: instances.urls,
      intents: intents.slice(0, 1),
      clientsPerIntent: 3,
    });
    expect(Object.keys(again.outcomes).every((outcome) => outcome.startsWith('DuplicateDetected/'))).toBe(true);
  });
});
