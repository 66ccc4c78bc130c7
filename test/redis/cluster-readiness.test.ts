import { Redis } from 'ioredis';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startRedisCluster } from '../support/redis-cluster';
import type { RedisCluster } from '../support/redis-cluster';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { waitUntil } from '../support/wait';

let db: TestDatabase;
let cluster: RedisCluster;
let server: TestServer;

beforeAll(async () => {
  // No replicas: a master killed stays lost until it is restarted, and its slots with it.
  [db, cluster] = await Promise.all([createTestDatabase('cluster_readiness'), startRedisCluster(3, { replicas: 0 })]);
  server = await startTestServer(db.url, 'cluster-readiness', { REDIS_URL: '', REDIS_CLUSTER_NODES: cluster.nodeList });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await Promise.all([cluster?.stop(), db?.drop()]);
});

const READY = { status: 200, body: { status: 'ready', checks: { postgres: 'up', redis: 'up' } } };

async function readiness(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: await response.json() };
}

async function clusterState(port: number): Promise<string> {
  const node = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    const info = (await node.call('CLUSTER', 'INFO')) as string;
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    node.disconnect();
  }
}

/** What a node answers a write of any key: MOVED or OK while the Cluster is up, CLUSTERDOWN while it is down. */
async function refusalOfAKey(port: number): Promise<string> {
  const node = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    return String(await node.set('cluster-readiness-probe', '1').catch((error: Error) => error.message));
  } finally {
    node.disconnect();
  }
}

// Before, /readyz sent PING to any live node, which answers PONG while the Cluster refuses every key
// (CLUSTERDOWN): "ready", while every claim and token call failed over to the database.
describe('/readyz on a Redis Cluster', () => {
  it('says Redis is down while the Cluster cannot serve every slot, and ready again once it can', async () => {
    expect(await readiness()).toEqual(READY);
    const [victim, survivor] = await cluster.masterPorts();
    await cluster.killNode(victim);
    // The fault happened: a surviving master says the Cluster is down, and refuses a key.
    await waitUntil(
      'the Cluster to mark the master failed',
      async () => (await clusterState(survivor)) === 'fail',
      20_000,
    );
    expect(await refusalOfAKey(survivor)).toMatch(/^CLUSTERDOWN/);
    await waitUntil(
      '/readyz to report Redis down',
      async () => JSON.stringify((await readiness()).body).includes('"redis":"down"'),
      5_000,
    );
    expect(await readiness()).toEqual({
      status: 200,
      body: { status: 'degraded', down: ['redis'], checks: { postgres: 'up', redis: 'down' } },
    });

    await cluster.restartNode(victim);
    await waitUntil(
      'the Cluster to serve every slot again',
      async () => (await clusterState(survivor)) === 'ok',
      20_000,
    );
    await waitUntil(
      '/readyz to report ready',
      async () => JSON.stringify(await readiness()) === JSON.stringify(READY),
      10_000,
    );
  });

  // Before, ioredis dropped a node whose connection closed without a word, and only the Cluster's
  // own 'error' was watched (a node's failures are 'node error'): a master that went away was
  // neither counted nor logged, while a standalone Redis was. (In jest, Node's errors come from
  // another realm and are counted as cause "other"; a server process counts ECONNREFUSED.)
  it('counts a node it cannot reach in order_gate_redis_connection_errors_total, as a standalone Redis is', async () => {
    expect(await readiness()).toEqual(READY);
    const [victim] = await cluster.masterPorts();
    await cluster.killNode(victim);
    try {
      await waitUntil(
        'a node connection error counted',
        async () => /^order_gate_redis_connection_errors_total\{cause="[^"]+"\} [1-9]/m.test(await metricsText()),
        15_000,
      );
    } finally {
      await cluster.restartNode(victim);
    }
    await waitUntil(
      '/readyz to report ready',
      async () => JSON.stringify(await readiness()) === JSON.stringify(READY),
      30_000,
    );
  });
});

async function metricsText(): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}
