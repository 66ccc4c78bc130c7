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
  /** Ports of the masters now (as a live node sees them). */
  masterPorts(): Promise<number[]>;
  /** SIGKILLs one node (a crash). */
  killNode(port: number): Promise<void>;
  /** Starts a killed node again on its port with its nodes.conf: it rejoins (a replica, if it was replaced). */
  restartNode(port: number): Promise<void>;
  /** `CLUSTER FAILOVER` on a replica of `masterPort`: a planned swap of master and replica. */
  swapMasterWithReplica(masterPort: number): Promise<void>;
  /** Resolves once every node is up, the cluster is ok and every replica is in sync. */
  waitHealthy(timeoutMs?: number): Promise<void>;
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
  const argsOf = new Map<number, string[]>();
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < masters * 2; index++) {
      const args = await clusterNodeArgs(directory, index);
      const node = await startRedisServer(args);
      argsOf.set(node.port, args);
      nodes.push(node);
    }
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
  const masterPorts = () =>
    onNode(live()[0].port, async (redis) => {
      const view = (await redis.call('CLUSTER', 'NODES')) as string;
      return view
        .trim()
        .split('\n')
        .map((line) => line.split(' '))
        .filter(([, , flags]) => flags.split(',').includes('master') && !flags.includes('fail'))
        .map(([, address]) => Number(address.split(':')[1].split('@')[0]));
    });
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
    masterPorts,
    async killNode(port) {
      await nodes.find((node) => node.port === port)?.kill();
    },
    async restartNode(port) {
      const index = nodes.findIndex((node) => node.port === port);
      nodes[index] = await startRedisServer(argsOf.get(port), port);
    },
    async swapMasterWithReplica(masterPort) {
      const replicaPort = await onNode(masterPort, async (redis) => {
        const replication = await redis.info('replication');
        const match = /slave0:ip=[^,]+,port=(\d+)/.exec(replication);
        if (!match) throw new Error(`master ${masterPort} has no replica`);
        return Number(match[1]);
      });
      await onNode(replicaPort, (redis) => redis.call('CLUSTER', 'FAILOVER'));
      await waitUntil(
        `replica ${replicaPort} to take over`,
        async () => (await masterPorts()).includes(replicaPort),
        10_000,
      );
    },
    waitHealthy: (timeoutMs = 30_000) =>
      // Polled gently: each poll opens a connection to every node.
      waitUntil('cluster_state:ok on every node and replicas in sync', () => allSettled(nodes), timeoutMs, 250),
    stop,
  };
}

async function clusterNodeArgs(directory: string, index: number): Promise<string[]> {
  const nodeDirectory = path.join(directory, `node-${index}`);
  await mkdir(nodeDirectory);
  return [
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
  ];
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
  // A node that is down rejects connect(); the event would only repeat it on stderr.
  redis.on('error', () => undefined);
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
