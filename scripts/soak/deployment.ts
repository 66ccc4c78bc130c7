import { randomBytes } from 'node:crypto';
import path from 'node:path';
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

/**
 * The soak's catalog: 64 products with stock no run exhausts, and each intent's cart takes two of
 * them (1 + 2 units). Real traffic spreads over a catalog. With one fixed cart of two SKUs every
 * order of the run waited on the same two rows through a synchronous commit, a flash sale that
 * capped the whole deployment near 50 orders/s (`npm run bench`'s flash-sale scenario measures
 * that case on its own).
 */
export const SOAK_SKUS = Array.from({ length: 64 }, (_, index) => `SOAK-${String(index).padStart(2, '0')}`);
export const SOAK_STOCK_PER_SKU = 10_000_000;
/** Lines and units of every soak cart (the partial-order check counts them). */
export const SOAK_CART = { lines: 2, units: 3 };

/** Intent `index`'s cart: two different SKUs, chosen from the index alone (seeded runs repeat). */
export function soakItems(index: number): { sku: string; quantity: number }[] {
  const first = index % SOAK_SKUS.length;
  const second = (first + 1 + (Math.floor(index / SOAK_SKUS.length) % (SOAK_SKUS.length - 1))) % SOAK_SKUS.length;
  return [
    { sku: SOAK_SKUS[first], quantity: 1 },
    { sku: SOAK_SKUS[second], quantity: 2 },
  ];
}
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
  /** The process a fault is killing: its exit is expected. */
  killing?: ServerProcess;
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
  /** Instance processes that exited without a fault or the teardown killing them, as they happened. */
  selfExits: string[];
  stop(): Promise<void>;
}

const JWT_SECRET = `soak-${randomBytes(16).toString('hex')}`;

/**
 * Production shape on loopback: a PostgreSQL primary with a synchronous standby behind HAProxy,
 * two regions each with its own Redis Cluster (3 masters, 3 replicas), three built server processes
 * (two in the first region, one in the second), every one pointed at HAProxy.
 */
export async function startSoakDeployment(
  log: (line: string) => void,
  /** A folder for the instances' log lines (one file per process), else they are dropped. */
  logDirectory?: string,
): Promise<SoakDeployment> {
  const regions: Region[] = [];
  const instances: Instance[] = [];
  let pair: PostgresPair | undefined;
  let proxy: PrimaryProxy | undefined;
  const selfExits: string[] = [];
  let stopping = false;
  // A process that exits by itself is not restarted (only a fault's SIGKILL is): it is named here.
  const watchExit = (instance: Instance) => {
    const watched = instance.process;
    void watched.exited.then((code) => {
      if (stopping || instance.killing === watched) return;
      const line = `${instance.name} (pid ${watched.child.pid}) exited by itself: code ${code}, signal ${watched.child.signalCode}`;
      selfExits.push(line);
      log(line);
    });
  };
  const stop = async () => {
    stopping = true;
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
    let spawned = 0;
    const logFileFor = () => (logDirectory ? path.join(logDirectory, `instance-process-${++spawned}.log`) : undefined);
    log('starting three instances (two in region-a, one in region-b)');
    const placed = [regions[0], regions[0], regions[1]];
    const processes = await Promise.all(
      placed.map((region) => spawnServerProcess(envOf(region), 60_000, { keepLogs: false, logFile: logFileFor() })),
    );
    processes.forEach((process, index) => {
      const instance: Instance = { name: `instance-${index + 1}`, region: placed[index], process, stopped: false };
      instances.push(instance);
      watchExit(instance);
    });
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
        instance.process = await spawnServerProcess(envOf(instance.region), 60_000, {
          keepLogs: false,
          logFile: logFileFor(),
        });
        instance.stopped = false;
        watchExit(instance);
      },
      selfExits,
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
    await client.query(
      `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
       SELECT gen_random_uuid(), sku, sku, $2, 'EUR', $3, now() FROM unnest($1::text[]) AS sku`,
      [SOAK_SKUS, SOAK_PRICE_CENTS, SOAK_STOCK_PER_SKU],
    );
  } finally {
    await client.end();
  }
}
