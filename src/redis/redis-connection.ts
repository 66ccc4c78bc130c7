import { Cluster, Redis } from 'ioredis';
import type { RedisClusterNode } from '../config/config';
import type { Logger } from '../observability/logger';
import { throttledLog, throttledWarning } from '../observability/throttled-log';
import { PLAIN_TEXT_REASON, answersPlainText, isDatabaseRefusal, redisSettingOf, refusalReason } from './redis-refusal';
import type { RedisRefusal, RedisTarget } from './redis-refusal';

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

/** Milliseconds a plain-text PING may take, asked when a `rediss://` connection never became ready. */
const PLAIN_TEXT_PROBE_MS = 500;
/** A refusal repeats on every reconnect attempt until someone fixes it: one line a minute says so. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

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
  watchErrors(redis, options, logger);
  return redis;
}

/** What createRedisConnection knows of a connection it made: its setting, and Redis's refusal of it, if any. */
interface ConnectionState {
  setting: string;
  /** The latest refusal, until the connection is ready again: kept for whoever waits for it later. */
  refusal: RedisRefusal | null;
}

const connectionStates = new WeakMap<RedisConnection, ConnectionState>();

/**
 * Tells an outage from a refusal. Both repeat on every reconnect attempt and both leave the
 * database path deciding; an outage is waited out (a warning at most once a second), but a Redis
 * that answers and refuses the settings (a password rotated, a database dropped) will not get
 * better by itself: an error naming the variable, at most once a minute.
 */
function watchErrors(redis: RedisConnection, target: RedisTarget, logger: Logger): void {
  const state: ConnectionState = { setting: redisSettingOf(target), refusal: null };
  connectionStates.set(redis, state);
  const cluster = redis instanceof Cluster;
  const variable = cluster ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL';
  const warnOutage = throttledWarning(logger, 'redis connection error');
  const logRefusal = throttledLog(
    logger,
    'error',
    `Redis refuses ${variable}: a configuration error, not an outage (the database decides every order until the setting or Redis is fixed)`,
    REFUSAL_LOG_INTERVAL_MS,
  );
  redis.on('ready', () => (state.refusal = null));
  redis.on('error', (error: Error) => {
    const reason = refusalReason(error, cluster);
    if (!reason) return warnOutage({ err: error });
    state.refusal = { setting: state.setting, reason };
    logRefusal({ redis: state.setting, reason });
  });
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
    // A failed SELECT (a Redis restarted with fewer databases) leaves ioredis going on in database
    // 0, where another deployment's keys may live: drop the connection and try again instead, the
    // database path deciding meanwhile. An option, so that duplicate()s of the connection do so too.
    reconnectOnError: isDatabaseRefusal,
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
 * How a connection stands after waiting for it: `ready`; `unavailable` (down, unreachable, still
 * connecting); or a refusal, when Redis answered and refused the settings.
 */
export type RedisReadiness = 'ready' | 'unavailable' | RedisRefusal;

/**
 * Resolves `ready` once the connection is ready, `unavailable` if it is not within `timeoutMs`,
 * and Redis's refusal as soon as one comes (or came already, before anyone waited). For a
 * Cluster, ready means the slot map is known and every master's connection is open: a claim for
 * any slot can go out at once.
 */
export async function redisReadiness(redis: RedisConnection, timeoutMs: number): Promise<RedisReadiness> {
  const deadline = Date.now() + timeoutMs;
  const readiness = await connectionReadiness(redis, timeoutMs);
  if (readiness === 'unavailable') return (await plainTextRefusal(redis)) ?? readiness;
  if (readiness !== 'ready' || !(redis instanceof Cluster)) return readiness;
  const masters = await Promise.all(
    redis.nodes('master').map((node) => connectionReadiness(node, deadline - Date.now())),
  );
  return masters.find((master) => master !== 'ready') ?? 'ready';
}

function connectionReadiness(redis: RedisConnection, timeoutMs: number): Promise<RedisReadiness> {
  // A Cluster's node connections are not made here: they have no state, and are only ever waited for.
  const refusal = () => connectionStates.get(redis)?.refusal ?? null;
  if (redis.status === 'ready') return Promise.resolve('ready');
  const known = refusal();
  if (known) return Promise.resolve(known);
  if (redis.status === 'wait') redis.connect().catch(() => undefined);
  return new Promise((resolve) => {
    const onReady = () => finish('ready');
    // watchErrors, the first listener, has told a refusal from an outage by now.
    const onError = () => {
      const refused = refusal();
      if (refused) finish(refused);
    };
    const timer = setTimeout(() => finish('unavailable'), Math.max(0, timeoutMs));
    const finish = (readiness: RedisReadiness) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      resolve(readiness);
    };
    redis.once('ready', onReady);
    redis.on('error', onError);
  });
}

/**
 * A `rediss://` URL of a Redis without TLS looks like an outage (the TLS handshake waits for an
 * answer that never comes): a plain-text PING tells the two apart.
 */
async function plainTextRefusal(redis: RedisConnection): Promise<RedisRefusal | null> {
  const state = connectionStates.get(redis);
  if (!state || !(redis instanceof Redis) || !redis.options.tls) return null;
  const { host = 'localhost', port = 6379 } = redis.options;
  return (await answersPlainText(host, port, PLAIN_TEXT_PROBE_MS))
    ? { setting: state.setting, reason: PLAIN_TEXT_REASON }
    : null;
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
