import { Cluster, Redis } from 'ioredis';
import type { RedisClusterNode } from '../config/config';
import type { Logger } from '../observability/logger';
import { throttledWarning } from '../observability/throttled-log';

/** A connection to Redis: one server, or a Redis Cluster. Every Redis user takes this type. */
export type RedisConnection = Redis | Cluster;

/** Options of the Redis connection. */
export interface RedisOptions {
  /** `redis://` or `rediss://` URL of a standalone server; ignored when `clusterNodes` is set. */
  url: string;
  /** Start-up nodes of a Redis Cluster; empty or absent means standalone. Default none. */
  clusterNodes?: readonly RedisClusterNode[];
  /**
   * A command not answered within this many milliseconds fails: a backstop that frees commands a
   * hung server never answers. Callers judge their own, shorter budget (stores/store-call.ts).
   */
  commandTimeoutMs: number;
}

/** The connection's backstop timeout: this many times the callers' budget, and at least BACKSTOP_MIN_MS. */
const BACKSTOP_FACTOR = 10;
const BACKSTOP_MIN_MS = 1_000;

/** Milliseconds a TCP connect may take before it counts as failed. */
const CONNECT_TIMEOUT_MS = 2_000;
/** Milliseconds a Cluster slot-map refresh (`CLUSTER SLOTS`) may take. */
const SLOTS_REFRESH_TIMEOUT_MS = 1_000;

/** Reconnect backoff: 100 ms, 200 ms, … capped at 2 s, forever. */
function reconnectDelayMs(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2_000);
}

/**
 * The one place that creates Redis connections (claim store, and any other Redis user), so that
 * `REDIS_CLUSTER_NODES` turns all of them into Cluster clients at once.
 *
 * Tuned for a cache that must never hold requests up: while disconnected, commands fail at once
 * instead of queueing, and reconnection goes on in the background. Callers must keep every
 * multi-key command and every Lua script within one hash slot (hash tags: `{...}`).
 */
export function createRedisConnection(options: RedisOptions, logger: Logger): RedisConnection {
  const redis = options.clusterNodes?.length ? createCluster(options.clusterNodes, options) : createStandalone(options);
  // A Redis outage emits an error per reconnect attempt: log at most one a second.
  const warn = throttledWarning(logger, 'redis connection error');
  redis.on('error', (error: Error) => warn({ err: error }));
  return redis;
}

function createStandalone(options: RedisOptions): Redis {
  return new Redis(options.url, {
    enableOfflineQueue: false,
    // Commands issued in the same event-loop turn (claims of concurrent requests) go out in one
    // write: under load, far fewer system calls for the same round trip.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: reconnectDelayMs,
  });
}

function createCluster(nodes: readonly RedisClusterNode[], options: RedisOptions): Cluster {
  const cluster = new Cluster(
    nodes.map((node) => ({ host: node.host, port: node.port })),
    {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      clusterRetryStrategy: reconnectDelayMs,
      // Claims are writes and must see the latest claim: never read from a replica.
      scaleReads: 'master',
      slotsRefreshTimeout: SLOTS_REFRESH_TIMEOUT_MS,
      // MOVED and ASK are followed at once (they are answers, not failures). A closed node
      // connection or CLUSTERDOWN (a failover under way) fails the command instead of retrying
      // it later: the guard has already gone on to the database by then, and a late retry would
      // only leave a claim behind that nobody completes.
      retryDelayOnFailover: 0,
      retryDelayOnClusterDown: 0,
      redisOptions: {
        maxRetriesPerRequest: 0,
        commandTimeout: options.commandTimeoutMs,
        connectTimeout: CONNECT_TIMEOUT_MS,
      },
    },
  );
  // ioredis connects to a node on its first command, and without an offline queue every command
  // sent while that connection is still opening fails: connect as soon as a node is known, so
  // the first storm after a start or a failover is not served by the database path alone.
  cluster.on('+node', (node: Redis) => {
    if (node.status === 'wait') node.connect().catch(() => undefined);
  });
  return cluster;
}

/**
 * Resolves true once the connection is ready, false if it is not within `timeoutMs`. For a
 * Cluster, ready means the slot map is known and every master's connection is open: a claim for
 * any slot can go out at once.
 */
export async function redisReady(redis: RedisConnection, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  if (!(await connectionReady(redis, timeoutMs))) return false;
  if (!(redis instanceof Cluster)) return true;
  const masters = await Promise.all(redis.nodes('master').map((node) => connectionReady(node, deadline - Date.now())));
  return masters.every(Boolean);
}

function connectionReady(redis: RedisConnection, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  if (redis.status === 'wait') redis.connect().catch(() => undefined);
  return new Promise((resolve) => {
    const onReady = () => finish(true);
    const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
    const finish = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    redis.once('ready', onReady);
  });
}

/**
 * The connection options of the servers mode's Redis (standalone or Cluster), for a user whose
 * calls have a budget of `budgetMs`. The connection's own timeout is a backstop well beyond it: a
 * timer-based command timeout at the budget itself would fire first whenever a busy event loop runs
 * its timers late, failing commands whose replies had already arrived.
 */
export function redisOptionsOf(
  mode: { redisUrl: string; redisClusterNodes: readonly RedisClusterNode[] },
  budgetMs: number,
): RedisOptions {
  return {
    url: mode.redisUrl,
    clusterNodes: mode.redisClusterNodes,
    commandTimeoutMs: Math.max(BACKSTOP_MIN_MS, budgetMs * BACKSTOP_FACTOR),
  };
}
