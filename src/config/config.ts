import { z } from 'zod';
import type { RedisClusterNode } from '../db/redis';

/** Thrown at start-up when the environment is unusable; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEVELOPMENT_JWT_SECRET = 'order-gate-development-secret-change-me';
const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveMs = z.coerce.number().int().positive();

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).default(DEFAULT_DATABASE_URL),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default(DEFAULT_REDIS_URL),
  REDIS_CLUSTER_NODES: z.string().regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'expected host:port,host:port,…').optional(),
  REDIS_KEY_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/).default('og'),
  REDIS_TIMEOUT_MS: positiveMs.default(50),
  JWT_SECRET: z.string().min(16).optional(),
  IDEMPOTENCY_LEASE_MS: positiveMs.default(30_000),
  IDEMPOTENCY_RETENTION_MS: positiveMs.default(24 * 60 * 60 * 1000),
  IDEMPOTENCY_RETRY_AFTER_MS: positiveMs.default(500),
  MIGRATE_ON_START: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Everything the server reads from its environment, validated once at start-up. */
export interface Config {
  /** `development` turns on Sandbox and introspection; `production` requires JWT_SECRET. */
  nodeEnv: 'development' | 'production' | 'test';
  /** Interface to listen on. Default `0.0.0.0`. */
  host: string;
  /** TCP port; 0 picks a free one. Default 4000. */
  port: number;
  /** PostgreSQL connection string. Default the local server's `postgres` database. */
  databaseUrl: string;
  /** Connections in the Prisma pool. Default 10. */
  databasePoolSize: number;
  /** Redis connection string. Default `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** Start-up nodes of a Redis Cluster (`host:port,…`); when set, REDIS_URL is ignored. Default none (standalone). */
  redisClusterNodes: RedisClusterNode[];
  /** Prefix for every Redis key this server writes. Default `og`. */
  redisKeyPrefix: string;
  /** Milliseconds a Redis command may take before the database path takes over. Default 50. */
  redisTimeoutMs: number;
  /** HS256 secret for bearer tokens. Required in production; a fixed development secret otherwise. */
  jwtSecret: string;
  /** Milliseconds a claim stays "in progress" if its request never finishes. Default 30 000. */
  idempotencyLeaseMs: number;
  /** Milliseconds a completed key answers from the cache. Default 24 h. */
  idempotencyRetentionMs: number;
  /** Retry hint given with RequestInProgress, capped by the lease left. Default 500 ms. */
  idempotencyRetryAfterMs: number;
  /** Apply pending migrations before serving. Default true. */
  migrateOnStart: boolean;
  /** pino log level. Default `info`. */
  logLevel: string;
}

/** Reads and validates the environment. Nothing else in the code base reads `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid environment:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: parseClusterNodes(e.REDIS_CLUSTER_NODES),
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    redisTimeoutMs: e.REDIS_TIMEOUT_MS,
    jwtSecret: e.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET,
    idempotencyLeaseMs: e.IDEMPOTENCY_LEASE_MS,
    idempotencyRetentionMs: e.IDEMPOTENCY_RETENTION_MS,
    idempotencyRetryAfterMs: e.IDEMPOTENCY_RETRY_AFTER_MS,
    migrateOnStart: e.MIGRATE_ON_START,
    logLevel: e.LOG_LEVEL,
  };
}

/** `host:port,host:port` (already validated) → nodes. */
function parseClusterNodes(list: string | undefined): RedisClusterNode[] {
  if (!list) return [];
  return list.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
  });
}

/** An exported-but-empty variable (`FOO=`) means "use the default", as most tools treat it. */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
