import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { clientAccessOf, freePort, startRedisServer } from './redis-server';
import { waitUntil } from './wait';
import type { RedisServer, RedisServerOptions } from './redis-server';

const run = promisify(execFile);

/** Milliseconds a node may be unreachable before the cluster fails it over (Redis default 15 000). */
const NODE_TIMEOUT_MS = 1_000;

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions extends RedisServerOptions {
  /**
   * Replicas per master. Default 1 (failover tests need them); 0 starts half the processes, for
   * a test that only needs a Cluster to answer.
   */
  replicas?: 0 | 1;
  /**
   * The name every node announces (`cluster-announce-hostname`, preferred over its address), as a
   * managed Cluster with TLS does, so that clients check certificates against a name. Default
   * none: nodes announce 127.0.0.1.
   */
  announceHostname?: string;
}

export interface RedisCluster {
  /** `host:port,…` of every node, as REDIS_CLUSTER_NODES takes it. */
  nodeList: string;
  /** What reaches a node (its password, the CA of its certificate): for {@link onNode}. */
  access: RedisServerOptions;
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
 * A real Redis Cluster on loopback: `masters` masters with one replica each (or none), every node a
 * local `redis-server` on free ports with its own temporary directory for nodes.conf, joined with
 * `redis-cli --cluster create`; with a password, every node requires it (and replicas give it to
 * their master); with TLS, clients, the cluster bus and replication all speak TLS. Resolves once
 * every node reports `cluster_state:ok` and every replica is in sync. On failure it tears down
 * what it started before rethrowing.
 */
export async function startRedisCluster(masters = 3, options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const { replicas = 1, announceHostname, ...access } = options;
  const announce = announceHostname
    ? ['--cluster-announce-hostname', announceHostname, '--cluster-preferred-endpoint-type', 'hostname']
    : [];
  const directory = await mkdtemp(path.join(os.tmpdir(), 'og-redis-cluster-'));
  const nodes: RedisServer[] = [];
  const argsOf = new Map<number, string[]>();
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.kill()));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < masters * (1 + replicas); index++) {
      const args = [...(await clusterNodeArgs(directory, index)), ...accessArgs(access), ...announce];
      const node = await startRedisServer(args, undefined, access);
      argsOf.set(node.port, args);
      nodes.push(node);
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run(
      'redis-cli',
      [
        ...cliAccessArgs(access),
        '--cluster',
        'create',
        ...addresses,
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      {
        timeout: 30_000,
        env: { ...process.env, ...(access.password === undefined ? {} : { REDISCLI_AUTH: access.password }) },
      },
    );
    await waitUntil('cluster_state:ok on every node and replicas in sync', () => allSettled(nodes, access), 30_000);
  } catch (error) {
    await stop();
    throw error;
  }

  const live = () => nodes.filter((node) => node.process.exitCode === null && node.process.signalCode === null);
  const masterPortFor = async (key: string) => {
    const any = live()[0];
    return onNode(
      any.port,
      async (redis) => {
        const slot = (await redis.call('CLUSTER', 'KEYSLOT', key)) as number;
        return slotOwner(redis, slot);
      },
      access,
    );
  };
  const masterPorts = () =>
    onNode(
      live()[0].port,
      async (redis) => {
        const view = (await redis.call('CLUSTER', 'NODES')) as string;
        return view
          .trim()
          .split('\n')
          .map((line) => line.split(' '))
          .filter(([, , flags]) => flags.split(',').includes('master') && !flags.includes('fail'))
          .map(([, address]) => Number(address.split(':')[1].split('@')[0]));
      },
      access,
    );
  return {
    nodeList: nodes.map((node) => `127.0.0.1:${node.port}`).join(','),
    access,
    nodes,
    masterPortFor,
    async failOverMasterOf(key, timeoutMs = 20_000) {
      const port = await masterPortFor(key);
      await nodes.find((node) => node.port === port)!.kill();
      await waitUntil(
        `a replica to take over from ${port}`,
        async () =>
          (await masterPortFor(key)) !== port &&
          (await Promise.all(live().map((node) => clusterOk(node.port, access)))).every(Boolean),
        timeoutMs,
      ).catch(async (error: Error) => {
        const view = await onNode(live()[0].port, (redis) => redis.call('CLUSTER', 'NODES'), access).catch(String);
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
      nodes[index] = await startRedisServer(argsOf.get(port), port, access);
    },
    async swapMasterWithReplica(masterPort) {
      const replicaPort = await onNode(
        masterPort,
        async (redis) => {
          const replication = await redis.info('replication');
          const match = /slave0:ip=[^,]+,port=(\d+)/.exec(replication);
          if (!match) throw new Error(`master ${masterPort} has no replica`);
          return Number(match[1]);
        },
        access,
      );
      await onNode(replicaPort, (redis) => redis.call('CLUSTER', 'FAILOVER'), access);
      await waitUntil(
        `replica ${replicaPort} to take over`,
        async () => (await masterPorts()).includes(replicaPort),
        10_000,
      );
    },
    waitHealthy: (timeoutMs = 30_000) =>
      // Polled gently: each poll opens a connection to every node.
      waitUntil('cluster_state:ok on every node and replicas in sync', () => allSettled(nodes, access), timeoutMs, 250),
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

/** A node's own arguments for the cluster's password (replicas give it to their master) and TLS (bus, replication). */
function accessArgs(access: RedisServerOptions): string[] {
  return [
    ...(access.password === undefined ? [] : ['--masterauth', access.password]),
    ...(access.tls ? ['--tls-cluster', 'yes', '--tls-replication', 'yes'] : []),
  ];
}

/** redis-cli's arguments for a TLS cluster (the password goes in REDISCLI_AUTH, kept off the command line). */
function cliAccessArgs(access: RedisServerOptions): string[] {
  return access.tls ? ['--tls', '--cacert', access.tls.caFile] : [];
}

/**
 * Runs `work` on a short-lived plain connection to one node (admin work, outside any cluster
 * client); `access` carries the cluster's password and CA when it has them.
 */
export async function onNode<T>(
  port: number,
  work: (redis: Redis) => Promise<T>,
  access: RedisServerOptions = {},
): Promise<T> {
  const redis = new Redis({
    ...clientAccessOf(access),
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

async function clusterOk(port: number, access: RedisServerOptions): Promise<boolean> {
  return onNode(
    port,
    async (redis) => ((await redis.call('CLUSTER', 'INFO')) as string).includes('cluster_state:ok'),
    access,
  ).catch(() => false);
}

async function allSettled(nodes: RedisServer[], access: RedisServerOptions): Promise<boolean> {
  const states = await Promise.all(
    nodes.map((node) =>
      onNode(
        node.port,
        async (redis) => {
          const info = (await redis.call('CLUSTER', 'INFO')) as string;
          const replication = await redis.info('replication');
          const inSync = replication.includes('role:master') || replication.includes('master_link_status:up');
          return info.includes('cluster_state:ok') && inSync;
        },
        access,
      ).catch(() => false),
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
