import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { signViewerToken } from '../../src/auth/jwt';
import { applyMigrations } from '../../src/db/migrations/migrator';
import { startPostgresPair } from '../harness/postgres-pair';
import type { PostgresPair } from '../harness/postgres-pair';
import { startPrimaryProxy } from '../harness/primary-proxy';
import type { PrimaryProxy } from '../harness/primary-proxy';
import { startRedisCluster } from '../harness/redis-cluster';
import type { RedisCluster } from '../harness/redis-cluster';
import { spawnServerProcess } from '../harness/server-process';
import type { ServerProcess } from '../harness/server-process';

/** The products every soak order takes: 1 of A and 2 of B. */
export const SOAK_STOCK = { 'SOAK-A': 10_000_000, 'SOAK-B': 10_000_000 };
export const SOAK_ITEMS = [
  { sku: 'SOAK-A', quantity: 1 },
  { sku: 'SOAK-B', quantity: 2 },
];
export const SOAK_PRICE_CENTS = 250;

export interface Region {
  name: string;
  cluster: RedisCluster;
}

/** One server process slot: SIGKILLed instances are started again in their slot (on a new port). */
export interface Instance {
  name: string;
  region: Region;
  process: ServerProcess;
  /** SIGSTOPped now (takes connections, answers nothing). */
  stopped: boolean;
}

export interface SoakDeployment {
  pair: PostgresPair;
  proxy: PrimaryProxy;
  regions: Region[];
  instances: Instance[];
  /** Base URLs of the instances running (a SIGSTOPped one included: clients cannot tell). */
  urls(): string[];
  /** The primary's application database, directly (not through HAProxy). */
  primaryUrl(): string;
  tokenFor(customerId: string): Promise<string>;
  restartInstance(instance: Instance): Promise<void>;
  stop(): Promise<void>;
}

const JWT_SECRET = `soak-${randomBytes(16).toString('hex')}`;

/**
 * Production shape on loopback: a PostgreSQL primary with a synchronous standby behind HAProxy,
 * two regions each with its own Redis Cluster (3 masters, 3 replicas), three built server processes
 * (two in the first region, one in the second), every one pointed at HAProxy.
 */
export async function startSoakDeployment(log: (line: string) => void): Promise<SoakDeployment> {
  const regions: Region[] = [];
  const instances: Instance[] = [];
  let pair: PostgresPair | undefined;
  let proxy: PrimaryProxy | undefined;
  const stop = async () => {
    await Promise.all(
      instances.map(async (instance) => {
        if (instance.stopped) instance.process.child.kill('SIGCONT');
        instance.process.child.kill('SIGKILL');
        await instance.process.exited;
      }),
    );
    await proxy?.stop();
    await Promise.all([pair?.stop(), ...regions.map((region) => region.cluster.stop())]);
  };
  try {
    log('starting PostgreSQL primary + synchronous standby and two Redis Clusters');
    const [startedPair, clusterA, clusterB] = await Promise.all([
      startPostgresPair('synchronous'),
      startRedisCluster(3),
      startRedisCluster(3),
    ]);
    pair = startedPair;
    regions.push({ name: 'region-a', cluster: clusterA }, { name: 'region-b', cluster: clusterB });
    await applyMigrations(pair.primary.url(pair.database));
    await seed(pair.primary.url(pair.database));
    proxy = await startPrimaryProxy([pair.primary, pair.standby]);
    const databaseUrl = proxy.url(pair.database);
    const envOf = (region: Region): Record<string, string> => ({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET,
      DATABASE_URL: databaseUrl,
      REDIS_CLUSTER_NODES: region.cluster.nodeList,
      REDIS_KEY_PREFIX: `soak:${region.name}:`,
      // A busy machine stalls event loops past the 50 ms production budget; see test/support/server.ts.
      REDIS_TIMEOUT_MS: '1000',
      MIGRATE_ON_START: 'false',
    });
    log('starting three instances (two in region-a, one in region-b)');
    const placed = [regions[0], regions[0], regions[1]];
    const processes = await Promise.all(
      placed.map((region) => spawnServerProcess(envOf(region), 60_000, { keepLogs: false })),
    );
    processes.forEach((process, index) =>
      instances.push({ name: `instance-${index + 1}`, region: placed[index], process, stopped: false }),
    );
    const running = (instance: Instance) =>
      instance.process.child.exitCode === null && instance.process.child.signalCode === null;
    return {
      pair,
      proxy,
      regions,
      instances,
      urls: () => instances.filter(running).map((instance) => instance.process.url),
      primaryUrl: () => {
        const primary = startedPair.primary.running() ? startedPair.primary : startedPair.standby;
        return primary.url(startedPair.database);
      },
      tokenFor: (customerId) => signViewerToken({ customerId, role: 'customer' }, JWT_SECRET),
      async restartInstance(instance) {
        instance.process = await spawnServerProcess(envOf(instance.region), 60_000, { keepLogs: false });
        instance.stopped = false;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function seed(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const [sku, stock] of Object.entries(SOAK_STOCK))
      await client.query(
        `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
         VALUES (gen_random_uuid(), $1, $1, $2, 'EUR', $3, now())`,
        [sku, SOAK_PRICE_CENTS, stock],
      );
  } finally {
    await client.end();
  }
}
