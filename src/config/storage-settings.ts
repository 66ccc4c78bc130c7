import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { positiveMs, wholeNumber } from './numeric-variables';
import { parsedWith } from './parsed-with';
import { parseRedisClusterNodes } from './redis-cluster-nodes';
import type { RedisClusterSetting } from './redis-cluster-nodes';
import { booleanFlag } from './words';

const DEFAULT_EMBEDDED_DATA_DIR = '.data/pglite';
/** What REDIS_KEY_PREFIX takes: its refusal, which docs/configuration.md's accepts column reads. */
const REDIS_KEY_PREFIX_TAKES = '1 to 64 characters of `A-Z a-z 0-9 : _ -`';

// Two parts, which config.ts composes apart to keep the variables' order (see environmentSchema).

/** Where orders, claims and tokens are kept: PostgreSQL and Redis, or the embedded database. */
export const storageEnvironment = {
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'expected a postgresql:// (or postgres://) URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres',
    })
    .optional()
    .describe(
      'PostgreSQL. Set together with REDIS_URL (or REDIS_CLUSTER_NODES) for the servers mode; neither for the embedded mode.',
    ),
  DATABASE_LISTEN_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'expected a postgresql:// (or postgres://) URL, e.g. postgresql://postgres@10.0.0.5:5432/postgres',
    })
    .optional()
    .describe(
      'PostgreSQL for the one session each server keeps to hear of orders changed by other instances and regions (`LISTEN`, [scaling.md](scaling.md#regions)); default DATABASE_URL. Set it to the server itself when DATABASE_URL goes through a pooler in transaction mode (PgBouncer), where `LISTEN` hears nothing. Servers mode only.',
    ),
  DATABASE_POOL_SIZE: wholeNumber({ min: 1, max: 500 })
    .default(10)
    .describe(
      'Connections in the pool shared by reads (Prisma) and order transactions (servers mode). Audit batches have 2 more of their own.',
    ),
  DATABASE_PREPARED_STATEMENTS: booleanFlag
    .default(true)
    .describe(
      "Keep the order transaction's statements prepared on each pooled connection (PREPARE once, then EXECUTE), so PostgreSQL plans them once per connection rather than per order (`true`/`false`). Set `false` behind a pooler in transaction mode (PgBouncer): the server also turns it off by itself, with a warning, the first time a prepared statement is missing.",
    ),
  ORDER_TRANSACTION_BUDGET_MS: wholeNumber({ min: 200, max: 60_000, unit: 'milliseconds' })
    .default(3_000)
    .describe(
      'What one order transaction may wait (ms): for a pooled connection, on each statement (statement_timeout; lock_timeout at 80 % of it), and on its COMMIT (cancelled past the budget). Past it the client gets 503 SERVICE_UNAVAILABLE with Retry-After and retries with the same key. 3 s is about a hundred times a normal order transaction under load, leaves a mobile client with a 10 s timeout room for the 1 s Retry-After and a second try, and stays above deadlock_timeout (1 s) so deadlocks are detected and retried first.',
    ),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'expected a redis:// (or rediss://) URL, e.g. redis://127.0.0.1:6379' })
    // ioredis reads any other path as no database at all, and would go on in database 0. (zod
    // runs this check on a value the URL check refused too: that one has said what is wrong.)
    .refine((url) => !URL.canParse(url) || /^(\/\d*)?$/.test(new URL(url).pathname), {
      error: 'the path after the port is a database number, e.g. redis://127.0.0.1:6379/2',
    })
    .optional()
    .describe(
      'A standalone Redis for claims, order tokens and the rate limit (servers mode): `redis://[[USER]:PASSWORD@]HOST:PORT[/DATABASE]`, `rediss://` for TLS (its certificate checked against Node’s CAs; NODE_EXTRA_CA_CERTS adds a private CA). Down or unreachable at start, the server starts and serves on the database path until it is back; a Redis that answers and refuses it (a wrong or missing password, a database it does not have, plain text behind `rediss://`, TLS only behind `redis://`, a certificate Node does not trust, a Redis Cluster node: asked at start, `INFO cluster` says `cluster_enabled:1`) stops the start with `Cannot start: REDIS_URL …`, and later is logged as an error naming REDIS_URL.',
    ),
  EMBEDDED_DATA_DIR: z
    .string()
    .min(1)
    .default(DEFAULT_EMBEDDED_DATA_DIR)
    .describe(
      "Folder of the embedded PostgreSQL (PGlite) when neither DATABASE_URL nor REDIS_URL is set, created with its parents when missing; locked to one process by a `<folder>.lock` file beside it (a second server stops with `Cannot start: EMBEDDED_DATA_DIR <path> is in use by process <pid>`, and what to do; a tool such as `npm run migrate` or `npm run risk:report` says instead that the embedded database is in use by that process, a running `npm start` perhaps, to stop first). A folder that cannot be used (a file, not creatable, not writable, or its lock file not writable) stops the start at once with `Cannot start: EMBEDDED_DATA_DIR <path> cannot be the database's folder: <why>`.",
    ),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform(parsedWith(parseRedisClusterNodes))
    .optional()
    .describe(
      'Start-up nodes of a Redis Cluster, instead of REDIS_URL: `host:port,…`, or each node as `redis://[[USER]:PASSWORD@]HOST:PORT` (`rediss://` for TLS), every node with the same scheme and credentials. Refused as REDIS_URL is (`Cannot start: REDIS_CLUSTER_NODES …`, passwords hidden), also when it names a standalone Redis (no Cluster support: set REDIS_URL to it instead). Set with REDIS_URL, REDIS_CLUSTER_NODES is used and REDIS_URL ignored.',
    ),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, { error: `expected ${REDIS_KEY_PREFIX_TAKES}` })
    .default('og')
    .describe('Prefix of every Redis key this server writes (src/stores/store-keys.ts).'),
  REDIS_TIMEOUT_MS: positiveMs
    .default(50)
    .describe(
      'Budget of one claim or order-token call (ms), judged by when Redis answered; past it the database path takes over.',
    ),
  REDIS_CLIENT_TRACKING: booleanFlag
    .default(true)
    .describe(
      'Keep completed claims that createOrder repeats are confirmed with in process memory, invalidated by Redis itself (CLIENT TRACKING; two more connections per process; standalone Redis only, off with REDIS_CLUSTER_NODES) (`true`/`false`).',
    ),
};

/** Whether the start applies pending migrations. */
export const migrationEnvironment = {
  MIGRATE_ON_START: booleanFlag
    .default(true)
    .describe(
      'Apply pending migrations before serving (`true`/`false`). With `false` the start only reads the migration history: a migration pending or failed stops it with `Cannot start: …` naming what to run (`npm run migrate`); migrations of a newer version are logged as a warning, and so is a PostgreSQL it cannot use then (it starts unchecked, `/readyz` naming PostgreSQL).',
    ),
};

/**
 * What backs this instance. `servers`: the PostgreSQL and Redis of DATABASE_URL and REDIS_URL
 * (any number of instances). `embedded`: neither variable set, so PostgreSQL runs in-process
 * (PGlite, files in `dataDir`) and claims live in this process's memory: one instance only.
 */
export type RunMode =
  | {
      kind: 'servers';
      databaseUrl: string;
      /** DATABASE_LISTEN_URL: where the order-changes listener connects; DATABASE_URL when unset. */
      listenUrl: string;
      /** A standalone Redis; empty when `redisCluster` names a Cluster instead. */
      redisUrl: string;
      /** The Redis Cluster of REDIS_CLUSTER_NODES; null for a standalone Redis. */
      redisCluster: RedisClusterSetting | null;
    }
  | { kind: 'embedded'; /** Absolute path of the embedded database's folder. */ dataDir: string };

type StorageEnvironment = z.infer<z.ZodObject<typeof storageEnvironment>>;

/**
 * Both variables set: the servers. Neither: embedded. One alone is refused rather than guessed:
 * PostgreSQL without Redis, or the reverse, is a deployment missing a variable.
 */
export function runModeOf(
  e: Pick<
    StorageEnvironment,
    'DATABASE_URL' | 'DATABASE_LISTEN_URL' | 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'EMBEDDED_DATA_DIR'
  >,
): RunMode {
  const redisCluster = e.REDIS_CLUSTER_NODES ?? null;
  const hasRedis = Boolean(e.REDIS_URL) || redisCluster !== null;
  if (e.DATABASE_URL && hasRedis) {
    return {
      kind: 'servers',
      databaseUrl: e.DATABASE_URL,
      listenUrl: e.DATABASE_LISTEN_URL ?? e.DATABASE_URL,
      redisUrl: e.REDIS_URL ?? '',
      redisCluster,
    };
  }
  if (!e.DATABASE_URL && !hasRedis) return { kind: 'embedded', dataDir: path.resolve(e.EMBEDDED_DATA_DIR) };
  const missing = e.DATABASE_URL ? 'REDIS_URL (or REDIS_CLUSTER_NODES)' : 'DATABASE_URL';
  throw new ConfigError(
    `Invalid environment:\n  ${missing}: set DATABASE_URL and REDIS_URL together to use your servers, or neither for the embedded mode`,
  );
}
