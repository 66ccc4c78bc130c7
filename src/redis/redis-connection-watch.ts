import { Cluster } from 'ioredis';
import type { Redis } from 'ioredis';
import type { RedisClusterNode } from '../config/redis-cluster-nodes';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { throttledLog } from '../observability/throttled-log';
import { redisOutageReport } from './redis-outage-log';
import { redisSettingOf, refusalCause } from './redis-refusal';
import type { RedisRefusal, RedisTarget } from './redis-refusal';

/** A connection made by createRedisConnection (redis-connection.ts): one server, or a Cluster. */
type WatchedConnection = Redis | Cluster;

/** A refusal repeats on every reconnect attempt until someone fixes it: one line a minute says so. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/**
 * Watches a new connection: tells Redis's refusals of the settings from outages, in the log, the
 * metrics and for /readyz (redisRefusalOf), and says once if a password is given that Redis does
 * not need.
 */
export function watchConnection(
  redis: WatchedConnection,
  target: RedisTarget,
  logger: Logger,
  metrics: Metrics | undefined,
): void {
  const state = stateOf(redis, target);
  connectionStates.set(redis, state);
  // The nodes a Cluster announces, as it announces them: a node that fails its TLS handshake is
  // dropped from ioredis's pool at once, without an error event, and only a probe can say why.
  if (redis instanceof Cluster)
    redis.on('+node', ({ options: { host = 'localhost', port = 6379 } }: Redis) =>
      state.endpoints.set(`${host}:${port}`, { host, port }),
    );
  watchErrors(redis, state, logger, metrics);
  warnOfUnneededPassword(redis, state, passwordAloneOf(target), logger);
}

/** What the watch knows of a connection, for whoever waits for it (redisReadiness), or null for one it did not make. */
export function connectionStateOf(redis: WatchedConnection): Readonly<ConnectionState> | null {
  return connectionStates.get(redis) ?? null;
}

/** What createRedisConnection knows of a connection it made: its setting, and Redis's refusal of it, if any. */
export interface ConnectionState {
  setting: string;
  /** REDIS_CLUSTER_NODES or REDIS_URL: the variable to name. */
  variable: string;
  cluster: boolean;
  tls: boolean;
  /**
   * Where the connection goes, by `host:port` (a Cluster's start-up nodes, and every node it has
   * announced since): probed when it never became ready.
   */
  endpoints: Map<string, RedisClusterNode>;
  /** The latest refusal, until the connection is ready again: kept for whoever waits for it later. */
  refusal: RedisRefusal | null;
}

const connectionStates = new WeakMap<WatchedConnection, ConnectionState>();

function stateOf(redis: WatchedConnection, target: RedisTarget): ConnectionState {
  const common = { setting: redisSettingOf(target), refusal: null };
  const byAddress = (nodes: readonly RedisClusterNode[]) =>
    new Map(nodes.map((node) => [`${node.host}:${node.port}`, node]));
  if (target.cluster)
    return {
      ...common,
      variable: 'REDIS_CLUSTER_NODES',
      cluster: true,
      tls: target.cluster.tls,
      endpoints: byAddress(target.cluster.nodes),
    };
  const { host = 'localhost', port = 6379, tls } = (redis as Redis).options;
  return {
    ...common,
    variable: 'REDIS_URL',
    cluster: false,
    tls: Boolean(tls),
    endpoints: byAddress([{ host, port }]),
  };
}

/** Why Redis refuses the connection's settings now, or null (ready, or an outage). For /readyz. */
export function redisRefusalOf(redis: WatchedConnection): RedisRefusal | null {
  return connectionStateOf(redis)?.refusal ?? null;
}

/**
 * Tells an outage from a refusal. Both repeat on every reconnect attempt and both leave the
 * database path deciding; an outage is waited out (one line a second for all the server's
 * connections, redis-outage-log.ts), but a Redis
 * that answers and refuses the settings (a password rotated, a database dropped) will not get
 * better by itself: an error naming the variable, at most once a minute.
 */
function watchErrors(redis: WatchedConnection, state: ConnectionState, logger: Logger, metrics?: Metrics): void {
  const reportOutage = redisOutageReport(logger);
  const logRefusal = throttledLog(
    logger,
    'error',
    `Redis refuses ${state.variable}: a configuration error, not an outage (the database decides every order until the setting or Redis is fixed)`,
    REFUSAL_LOG_INTERVAL_MS,
  );
  const onError = (error: Error) => {
    const cause = refusalCause(error, state.cluster);
    if (!cause) return reportOutage(state.setting, error, metrics);
    state.refusal = { setting: state.setting, ...cause };
    metrics?.redisRefusals.inc({ reason: cause.kind });
    logRefusal({ redis: state.setting, reason: cause.reason });
  };
  redis.on('ready', () => (state.refusal = null));
  redis.on('error', onError);
  // A Cluster emits 'error' for itself alone (its subscriber); a node it cannot reach, or whose
  // slot map it cannot read, is its 'node error': without this listener a master gone away was
  // neither counted in order_gate_redis_connection_errors_total nor logged, as a standalone Redis is.
  if (redis instanceof Cluster) redis.on('node error', onError);
}

/** Redis's answer to `AUTH <password>` when it has no password: ioredis prints its `[WARN]` line on it. */
const NO_PASSWORD_SET = /without any password configured|no password is set/;

/** The settings (per logger) already warned of a password Redis does not need: said once per process. */
const warnedOfUnneededPassword = new WeakMap<Logger, Set<string>>();

/**
 * A password given to a Redis that requires none (nothing keeps others out of the claims): said
 * once, in the log. ioredis, sending `AUTH <password>`, would print a plain `[WARN]` line to the
 * console on every connection and reconnection instead; it sends `AUTH default <password>` here
 * (withDefaultUser in redis-connection.ts), the same user, which such a Redis accepts without a
 * word. So the question is asked once, the one-argument way, when the connection is first ready.
 */
function warnOfUnneededPassword(
  redis: WatchedConnection,
  state: ConnectionState,
  password: string | undefined,
  logger: Logger,
): void {
  if (password === undefined) return;
  redis.once('ready', () => {
    const node = redis instanceof Cluster ? redis.nodes('master')[0] : redis;
    node?.call('AUTH', password).catch((error: unknown) => {
      const warned = warnedOfUnneededPassword.get(logger) ?? new Set<string>();
      if (!NO_PASSWORD_SET.test(String(error)) || warned.has(state.setting)) return;
      warnedOfUnneededPassword.set(logger, warned.add(state.setting));
      logger.warn(
        { redis: state.setting },
        `${state.variable} carries a password, and Redis requires none: anyone who reaches it can read and write the claims (set requirepass in Redis, or drop the password from ${state.variable})`,
      );
    });
  });
}

/** The password of settings that name no user (AUTH with the password alone), else undefined. */
function passwordAloneOf(target: RedisTarget): string | undefined {
  if (target.cluster) return target.cluster.username ? undefined : target.cluster.password;
  const url = new URL(target.url);
  return url.password && !url.username ? decodeURIComponent(url.password) : undefined;
}
