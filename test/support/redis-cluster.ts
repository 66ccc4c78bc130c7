import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, startRedisServer } from './redis-server';
import { waitUntil } from './wait';
import type { RedisServer } from './redis-server';

const run = promisify(execFile);

/** Milliseconds a node may be unreachable before the cluster fails it over (Redis default 15 000). */
const NODE_TIMEOUT_MS = 1_000;

export interface RedisCluster {
  /** `host:port,…` of every node, as REDIS_CLUSTER_NODES takes it. */
  nodeList: string;
  nodes: RedisServer[];
  /** The port of the master that serves `key` now. */
  masterPortFor(key: string): Promise<number>;
  /** SIGKILLs the master serving `key`; resolves with its port once its replica took over. */
  failOverMasterOf(key: string, timeoutMs?: number): Promise<number>;
  /** Kills every node and removes their directories. Safe to call twice, and after a failed start. */
  stop: () => Promise<void>;
}

/**
 * A real Redis Cluster on loopback: `masters` masters with one replica each, every node a local
 * `redis-server` on free ports with its own temporary directory for nodes.conf, joined with
 * `redis-cli --cluster create`. Resolves once every node reports `cluster_state:ok` and every
 * replica is in sync. On failure it tears down what it started before rethrowing.
 */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'og-redis-cluster-'));
  const nodes: RedisServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < masters * 2; index++) nodes.push(await startClusterNode(directory, index));
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: 30_000,
    });
    await waitUntil('cluster_state:ok on every node and replicas in sync', () => allSettled(nodes), 30_000);
  } catch (error) {
    await stop();
    throw error;
  }

  const live = () => nodes.filter((node) => node.process.exitCode === null && node.process.signalCode === null);
  const masterPortFor = async (key: string) => {
    const any = live()[0];
    return onNode(any.port, async (redis) => {
      const slot = (await redis.call('CLUSTER', 'KEYSLOT', key)) as number;
      return slotOwner(redis, slot);
    });
  };
  return {
    nodeList: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    nodes,
    masterPortFor,
    async failOverMasterOf(key, timeoutMs = 20_000) {
      const port = await masterPortFor(key);
      await nodes.find((node) => node.port === port)!.kill();
      await waitUntil(
        `a replica to take over from ${port}`,
        async () =>
          (await masterPortFor(key)) !== port &&
          (await Promise.all(live().map((node) => clusterOk(node.port)))).every(Boolean),
        timeoutMs,
      ).catch(async (error: Error) => {
        const view = await onNode(live()[0].port, (redis) => redis.call('CLUSTER', 'NODES')).catch(String);
        throw new Error(`${error.message}; the cluster as ${live()[0].port} sees it:\n${String(view)}`);
      });
      return port;
    },
    stop,
  };
}

async function startClusterNode(directory: string, index: number): Promise<RedisServer> {
  const nodeDirectory = path.join(directory, `node-${index}`);
  await mkdir(nodeDirectory);
  return startRedisServer([
    '--cluster-enabled',
    'yes',
    '--cluster-port',
    String(await freePort()),
    '--cluster-config-file',
    path.join(nodeDirectory, 'nodes.conf'),
    '--cluster-node-timeout',
    String(NODE_TIMEOUT_MS),
    '--dir',
    nodeDirectory,
  ]);
}

/** Runs `work` on a short-lived plain connection to one node (admin work, outside any cluster client). */
export async function onNode<T>(port: number, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

async function clusterOk(port: number): Promise<boolean> {
  return onNode(port, async (redis) =>
    ((await redis.call('CLUSTER', 'INFO')) as string).includes('cluster_state:ok'),
  ).catch(() => false);
}

async function allSettled(nodes: RedisServer[]): Promise<boolean> {
  const states = await Promise.all(
    nodes.map((node) =>
      onNode(node.port, async (redis) => {
        const info = (await redis.call('CLUSTER', 'INFO')) as string;
        const replication = await redis.info('replication');
        const inSync = replication.includes('role:master') || replication.includes('master_link_status:up');
        return info.includes('cluster_state:ok') && inSync;
      }).catch(() => false),
    ),
  );
  return states.every(Boolean);
}

/** The port of the master that owns `slot`, from CLUSTER SLOTS as `redis` sees it. */
async function slotOwner(redis: Redis, slot: number): Promise<number> {
  const ranges = (await redis.call('CLUSTER', 'SLOTS')) as [
    number,
    number,
    [string, number, ...unknown[]],
    ...unknown[],
  ][];
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  if (!range) throw new Error(`no node serves slot ${slot}`);
  return range[2][1];
}
