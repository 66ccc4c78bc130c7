import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startAlertBehindHandshakeProxy } from '../support/alert-behind-handshake-proxy';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { onNode, startRedisCluster } from '../support/redis-cluster';
import type { RedisCluster } from '../support/redis-cluster';
import { expectRefusedStart, expectRepeatAnsweredByRedis, startRefused } from '../support/redis-deployment';
import { spawnServerProcess, testEnvironment } from '../support/server';
import type { ServerProcess } from '../support/server';
import { createCertificateAuthority } from '../support/tls-certificates';
import type { CertificateAuthority } from '../support/tls-certificates';

// A managed Redis Cluster as ElastiCache or Memorystore run one: every node wants AUTH (and the
// replicas give it to their masters), and, in the second, speaks TLS only, to clients, on the
// cluster bus and for replication, with a certificate from a private CA for a host name (not an
// address), the name each node announces. Three masters without replicas each: the point is the
// access, failovers are redis-cluster.test.ts's.
const PASSWORD = 'cluster-password-of-the-test';
const SKU = 'CLUSTER-AUTH-1';

let directory: string;
let authority: CertificateAuthority;
let db: TestDatabase;
let locked: RedisCluster;
let encrypted: RedisCluster;
const servers: ServerProcess[] = [];

/** REDIS_CLUSTER_NODES naming every node of `cluster` as `<scheme>://<credentials><host>:<port>`. */
const nodesAs = (cluster: RedisCluster, prefix: string, host = '127.0.0.1') =>
  cluster.nodes.map((node) => `${prefix}${host}:${node.port}`).join(',');

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'og-cluster-access-'));
  authority = await createCertificateAuthority(directory);
  const tls = await authority.issue('cluster', ['localhost']);
  db = await createTestDatabase('cluster_access');
  locked = await startRedisCluster(3, { password: PASSWORD, replicas: 0 });
  encrypted = await startRedisCluster(3, { password: PASSWORD, tls, replicas: 0, announceHostname: 'localhost' });
  await seedProducts(db.url, [{ sku: SKU, priceCents: 700, stock: 100 }]);
}, 120_000);

afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  await Promise.all([locked?.stop(), encrypted?.stop(), db?.drop()]);
  await rm(directory, { recursive: true, force: true });
});

/** A built server on these nodes: its first order is created, and the repeat answered from the Cluster. */
async function expectServedFromCluster(extra: Record<string, string>): Promise<void> {
  const env = testEnvironment(db.url, 'cluster-access', extra);
  const server = await spawnServerProcess(env);
  servers.push(server);
  await expectRepeatAnsweredByRedis(server, env, SKU);
  expect(JSON.stringify(server.logs)).not.toContain(PASSWORD);
}

describe('a Redis Cluster that requires a password', () => {
  it('serves orders with the password in REDIS_CLUSTER_NODES (redis://:PASSWORD@host:port)', async () => {
    await expectServedFromCluster({ REDIS_CLUSTER_NODES: nodesAs(locked, `redis://:${PASSWORD}@`) });
  });

  it('refuses to start without the password, saying how to write it', async () => {
    const run = await startRefused(db.url, { REDIS_CLUSTER_NODES: locked.nodeList });
    expectRefusedStart(
      run,
      `REDIS_CLUSTER_NODES ${locked.nodeList}`,
      /^Redis answered "NOAUTH Authentication required\.": it requires a password: write every node as redis:\/\/:PASSWORD@host:port/,
      PASSWORD,
    );
  });

  it('refuses to start with a wrong password, hiding it', async () => {
    const run = await startRefused(db.url, { REDIS_CLUSTER_NODES: nodesAs(locked, `redis://:wrong-${PASSWORD}@`) });
    expectRefusedStart(
      run,
      `REDIS_CLUSTER_NODES ${nodesAs(locked, 'redis://:***@')}`,
      /^Redis answered "WRONGPASS invalid username-password pair or user is disabled\.": is the password \(and the user\) right\?$/,
      PASSWORD,
    );
  });
});

describe('a Redis Cluster behind TLS with a password', () => {
  const named = `rediss://:${PASSWORD}@`;

  it('serves orders over rediss:// nodes named as their certificate names them, once Node trusts its CA', async () => {
    await expectServedFromCluster({
      REDIS_CLUSTER_NODES: nodesAs(encrypted, named, 'localhost'),
      NODE_EXTRA_CA_CERTS: authority.caFile,
    });
  });

  it('refuses to start when Node does not trust the certificate (ioredis itself reports only a closed connection)', async () => {
    const run = await startRefused(db.url, { REDIS_CLUSTER_NODES: nodesAs(encrypted, named, 'localhost') });
    expectRefusedStart(
      run,
      `REDIS_CLUSTER_NODES ${nodesAs(encrypted, 'rediss://:***@', 'localhost')}`,
      /^TLS refused the server's certificate \(.*SELF_SIGNED_CERT_IN_CHAIN\): .*NODE_EXTRA_CA_CERTS=/,
      PASSWORD,
    );
  });

  it('refuses to start on nodes given by an address their certificate does not name', async () => {
    const run = await startRefused(db.url, {
      REDIS_CLUSTER_NODES: nodesAs(encrypted, named),
      NODE_EXTRA_CA_CERTS: authority.caFile,
    });
    expectRefusedStart(
      run,
      `REDIS_CLUSTER_NODES ${nodesAs(encrypted, 'rediss://:***@')}`,
      /ERR_TLS_CERT_ALTNAME_INVALID\): the certificate is not for the host connected to: name the nodes as their certificates do/,
      PASSWORD,
    );
  });

  it("refuses to start with its one line when each node's alert comes right behind its refused certificate", async () => {
    // Node emits the alert as a second 'error' on the socket it destroyed for the certificate,
    // which ioredis no longer listens for: unheard, it ended the process with a stack trace.
    const proxies = await Promise.all(
      encrypted.nodes.map((node) => startAlertBehindHandshakeProxy({ host: '127.0.0.1', port: node.port })),
    );
    const behind = (prefix: string) => proxies.map((proxy) => `${prefix}localhost:${proxy.port}`).join(',');
    try {
      const run = await startRefused(db.url, { REDIS_CLUSTER_NODES: behind(named) });
      expect(proxies.every((proxy) => proxy.alerted() > 0)).toBe(true);
      expectRefusedStart(
        run,
        `REDIS_CLUSTER_NODES ${behind('rediss://:***@')}`,
        /^TLS refused the server's certificate \(.*SELF_SIGNED_CERT_IN_CHAIN\): .*NODE_EXTRA_CA_CERTS=/,
        PASSWORD,
      );
    } finally {
      await Promise.all(proxies.map((proxy) => proxy.close()));
    }
  });

  it('refuses to start on plain-text nodes, telling it to write rediss://', async () => {
    const run = await startRefused(db.url, {
      REDIS_CLUSTER_NODES: nodesAs(encrypted, `redis://:${PASSWORD}@`, 'localhost'),
      NODE_EXTRA_CA_CERTS: authority.caFile,
    });
    expectRefusedStart(
      run,
      `REDIS_CLUSTER_NODES ${nodesAs(encrypted, 'redis://:***@', 'localhost')}`,
      /^REDIS_CLUSTER_NODES names plain-text nodes .*: write every node as rediss:\/\/host:port$/,
      PASSWORD,
    );
  });

  // Last: it changes what the Cluster announces.
  it('refuses to start when the Cluster announces addresses its certificate does not name, saying to announce names', async () => {
    for (const node of encrypted.nodes)
      await onNode(
        node.port,
        (redis) => redis.config('SET', 'cluster-preferred-endpoint-type', 'ip'),
        encrypted.access,
      );
    const run = await startRefused(db.url, {
      REDIS_CLUSTER_NODES: nodesAs(encrypted, named, 'localhost'),
      NODE_EXTRA_CA_CERTS: authority.caFile,
    });
    expectRefusedStart(
      run,
      `REDIS_CLUSTER_NODES ${nodesAs(encrypted, 'rediss://:***@', 'localhost')}`,
      /ERR_TLS_CERT_ALTNAME_INVALID\): .*have the Cluster announce such names \(cluster-announce-hostname, cluster-preferred-endpoint-type hostname\)$/,
      PASSWORD,
    );
  });
});
