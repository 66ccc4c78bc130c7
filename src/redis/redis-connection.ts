import { Cluster, Redis } from 'ioredis';
import type { RedisClusterSetting } from '../config/redis-cluster-nodes';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { ErrorListeningConnector } from './error-listening-connector';
import { connectionStateOf, watchConnection } from './redis-connection-watch';
import { endpointRefusal } from './redis-endpoint-probe';
import { clusterNodeRefusal, isDatabaseRefusal } from './redis-refusal';
import type { RedisRefusal, RedisTarget } from './redis-refusal';

/** A connection to Redis: one server, or a Redis Cluster. Every Redis user takes this type. */
export type RedisConnection = Redis | Cluster;

/** Options of the Redis connection: where it goes (REDIS_URL, or a Cluster), and its timeout. */
export interface RedisOptions extends RedisTarget {
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

/** Milliseconds a plain-text PING and a TLS handshake may take, tried when a connection never became ready. */
const ENDPOINT_PROBE_MS = 500;

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
export function createRedisConnection(options: RedisOptions, logger: Logger, metrics?: Metrics): RedisConnection {
  const redis = options.cluster ? createCluster(options.cluster, options) : createStandalone(options);
  watchConnection(redis, options, logger, metrics);
  return redis;
}

/**
 * The URL with Redis's `default` user named when it carries a password alone, so that ioredis
 * sends `AUTH default <password>`: the same user as `AUTH <password>` (Redis 6 and later), without
 * ioredis's console line when Redis has no password (warnOfUnneededPassword says it once instead).
 */
function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (!parsed.password || parsed.username) return url;
  parsed.username = 'default';
  return parsed.toString();
}

function createStandalone(options: RedisOptions): Redis {
  return new Redis(withDefaultUser(options.url), {
    // Its sockets keep an error listener: a second error of a TLS socket ends the process otherwise.
    Connector: ErrorListeningConnector,
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

function createCluster(setting: RedisClusterSetting, options: RedisOptions): Cluster {
  const cluster = new Cluster(
    setting.nodes.map((node) => ({ host: node.host, port: node.port })),
    {
      // ioredis resolves start-up host names to addresses first, and would then check each
      // node's certificate against an address it does not name (ioredis's README, on ElastiCache
      // with TLS): with TLS, names are kept as given.
      ...(setting.tls
        ? { dnsLookup: (address: string, found: (error: null, address: string) => void) => found(null, address) }
        : {}),
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      clusterRetryStrategy: reconnectDelayMs,
      // A node whose connection drops is reconnected as a standalone Redis is, not dropped from the
      // pool without a word (ioredis's default): each failed attempt is a 'node error', counted in
      // order_gate_redis_connection_errors_total and logged as unreachable (redis-connection-watch.ts),
      // and the node serves again once it is back. A node the slot map no longer names is closed.
      clusterNodeRetryStrategy: reconnectDelayMs,
      // Claims are writes and must see the latest claim: never read from a replica.
      scaleReads: 'master',
      slotsRefreshTimeout: SLOTS_REFRESH_TIMEOUT_MS,
      // MOVED and ASK are followed at once (they are answers, not failures). A closed node
      // connection or CLUSTERDOWN (a failover under way) fails the command instead of retrying
      // it later: the guard has already gone on to the database by then, and a late retry would
      // only leave a claim behind that nobody completes.
      retryDelayOnFailover: 0,
      retryDelayOnClusterDown: 0,
      // The same for every node, those discovered later too: TLS and credentials are the Cluster's.
      redisOptions: {
        Connector: ErrorListeningConnector,
        maxRetriesPerRequest: 0,
        commandTimeout: options.commandTimeoutMs,
        connectTimeout: CONNECT_TIMEOUT_MS,
        ...(setting.tls ? { tls: {} } : {}),
        ...(setting.username ? { username: setting.username } : {}),
        ...(setting.password === undefined
          ? {}
          : { username: setting.username ?? 'default', password: setting.password }),
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
  if (readiness === 'unavailable') return (await probedRefusal(redis)) ?? readiness;
  if (readiness !== 'ready') return readiness;
  if (!(redis instanceof Cluster)) return (await clusterNodeOf(redis)) ?? readiness;
  const masters = await Promise.all(
    redis.nodes('master').map((node) => connectionReadiness(node, deadline - Date.now())),
  );
  const notReady = masters.find((master) => master !== 'ready') ?? 'ready';
  // The slot map came from a start-up node, and a master as the Cluster announces it would not
  // open: by an address its certificate does not name, say.
  return notReady === 'unavailable' ? ((await probedRefusal(redis)) ?? notReady) : notReady;
}

/** A standalone connection's Redis that is a Cluster node after all (REDIS_URL at one node), as a refusal; else null. */
async function clusterNodeOf(redis: Redis): Promise<RedisRefusal | null> {
  const state = connectionStateOf(redis);
  // A Redis that does not answer INFO (renamed, or not allowed to this user) says nothing either way.
  const info = await redis.info('cluster').catch(() => '');
  const cause = state ? clusterNodeRefusal(info) : null;
  return cause && state ? { setting: state.setting, ...cause } : null;
}

function connectionReadiness(redis: RedisConnection, timeoutMs: number): Promise<RedisReadiness> {
  // A Cluster's node connections are not made here: they have no state, and are only ever waited for.
  const refusal = () => connectionStateOf(redis)?.refusal ?? null;
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
 * Some refusals look like an outage from inside the connection (TLS on one side only; a Cluster's
 * untrusted certificate): a plain-text PING and a TLS handshake with each endpoint (a Cluster's
 * start-up nodes, and the nodes it has announced) tell them apart (redis-endpoint-probe.ts).
 */
async function probedRefusal(redis: RedisConnection): Promise<RedisRefusal | null> {
  const state = connectionStateOf(redis);
  if (!state) return null;
  const cause = await endpointRefusal([...state.endpoints.values()], state, ENDPOINT_PROBE_MS);
  return cause ? { setting: state.setting, ...cause } : null;
}

/**
 * The connection options of the servers mode's Redis (standalone or Cluster), for a user whose
 * calls have a budget of `budgetMs`. The connection's own timeout is a backstop well beyond it: a
 * timer-based command timeout at the budget itself would fire first whenever a busy event loop runs
 * its timers late, failing commands whose replies had already arrived.
 */
export function redisOptionsOf(
  mode: { redisUrl: string; redisCluster: RedisClusterSetting | null },
  budgetMs: number,
): RedisOptions {
  return {
    url: mode.redisUrl,
    cluster: mode.redisCluster,
    commandTimeoutMs: Math.max(BACKSTOP_MIN_MS, budgetMs * BACKSTOP_FACTOR),
  };
}
