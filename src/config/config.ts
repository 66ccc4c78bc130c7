import path from 'node:path';
import { z } from 'zod';
import { auditEnvironment } from './audit-settings';
import type { AuditSettings } from './audit-settings';
import { channelEnvironment } from './channel-settings';
import type { ChannelSettings } from './channel-settings';
import { ConfigError } from './config-error';
import { graphqlEnvironment } from './graphql-limits';
import type { GraphQLLimits } from './graphql-limits';
import { guardEnvironment, jwtSecretOf } from './guard-settings';
import { parseMarketplaceSchemes } from './marketplace-secrets';
import { rateLimitEnvironment } from './rate-limit-settings';
import type { RateLimitSetting } from './rate-limit-settings';
import { riskEnvironment, riskSettingsOf } from './risk-settings';
import type { RiskSettings } from './risk-settings';
import { semanticDuplicateEnvironment } from './semantic-duplicate-settings';
import type { SemanticDuplicateOptions } from './semantic-duplicate-policy';
import { corsEnvironment, httpEnvironment, serverEnvironment } from './server-settings';
import { migrationEnvironment, runModeOf, storageEnvironment } from './storage-settings';
import type { RunMode } from './storage-settings';

export { ConfigError };
export type { AuditSettings, ChannelSettings, GraphQLLimits, RateLimitSetting, RunMode };

/**
 * Every variable the server reads, each with its meaning: docs/configuration.md is generated from
 * these descriptions and defaults (`npm run docs:generate`; a test fails when the page is stale).
 * Each capability declares its variables in its own file (server-settings.ts, storage-settings.ts,
 * …); the order of the parts here is the order the page lists them in and a refusal names them in.
 */
export const environmentSchema = z.object({
  ...serverEnvironment,
  ...storageEnvironment,
  ...guardEnvironment,
  ...auditEnvironment,
  ...semanticDuplicateEnvironment,
  ...migrationEnvironment,
  ...httpEnvironment,
  ...graphqlEnvironment,
  ...rateLimitEnvironment,
  ...corsEnvironment,
  ...channelEnvironment,
  ...riskEnvironment,
});

/** Everything the server reads from its environment, validated once at start-up. */
export interface Config {
  /** `development` turns on Sandbox and introspection; `production` requires JWT_SECRET. */
  nodeEnv: 'development' | 'production' | 'test';
  /** Interface to listen on. Default `0.0.0.0`. */
  host: string;
  /** TCP port; 0 picks a free one. Default 4000. */
  port: number;
  /** Servers (DATABASE_URL and REDIS_URL) or embedded (neither set; EMBEDDED_DATA_DIR, default `.data/pglite`). */
  mode: RunMode;
  /** Connections in the Prisma pool (servers mode). Default 10. */
  databasePoolSize: number;
  /** The order transaction's budget (ms): pool wait, statement and lock timeouts. Default 3 000. */
  orderTransactionBudgetMs: number;
  /** DATABASE_PREPARED_STATEMENTS. */
  databasePreparedStatements: boolean;
  /** Prefix for every Redis key this server writes. Default `og`. */
  redisKeyPrefix: string;
  /** Milliseconds a Redis command may take before the database path takes over. Default 50. */
  redisTimeoutMs: number;
  /** Confirm repeats from a near cache of completed claims that Redis invalidates (standalone Redis only). Default true. */
  redisClientTracking: boolean;
  /** HS256 secret for bearer tokens. Required in production; a fixed development secret otherwise. */
  jwtSecret: string;
  /** Milliseconds a claim stays "in progress" if its request never finishes. Default 30 000. */
  idempotencyLeaseMs: number;
  /** Milliseconds a completed key answers from the cache. Default 24 h. */
  idempotencyRetentionMs: number;
  /** Retry hint given with RequestInProgress, capped by the lease left. Default 500 ms. */
  idempotencyRetryAfterMs: number;
  idempotencyRepeatWaitMs: number;
  /** Milliseconds an issued order token stays valid. Default 600 000 (10 min). */
  orderTokenTtlMs: number;
  /** HMAC secret that signs order tokens. Default: derived from jwtSecret (see src/order-tokens). */
  orderTokenSecret: string | null;
  /** Milliseconds a product shown on order items may come from this process's memory; 0 turns it off. Default 1 000. */
  catalogCacheTtlMs: number;
  /** Audit log buffering. */
  audit: AuditSettings;
  /** Possible-duplicate policy per channel and window. Default HOLD everywhere, 10 minutes. */
  semanticDuplicates: SemanticDuplicateOptions;
  /** Apply pending migrations before serving; off, refuse a database that lacks one. Default true. */
  migrateOnStart: boolean;
  /** pino log level. Default `info`. */
  logLevel: string;
  /** Milliseconds SIGTERM keeps serving, `/readyz` at 503, before draining. Default 0. */
  shutdownDelayMs: number;
  /** Milliseconds draining lets received requests finish before cutting what is left. Default 10 000. */
  shutdownGraceMs: number;
  /** Largest accepted request body in bytes. Default 1 048 576 (1 MiB). */
  httpBodyLimitBytes: number;
  /** Answer introspection queries. Default on, except with NODE_ENV=production. */
  introspection: boolean;
  /** Operation limits checked before execution (see src/hardening/). */
  graphqlLimits: GraphQLLimits;
  /** New orders each customer may place per window. Default 30 per 10 s. */
  orderRateLimit: RateLimitSetting;
  /** Milliseconds a rate-limit call may take before the order is admitted unchecked. Default 250. */
  orderRateLimitTimeoutMs: number;
  /**
   * Browser origins allowed to call /graphql from another site (CORS_ORIGINS): `*` for any, or
   * exact origins (`https://shop.example.com`). Unset (undefined): none with NODE_ENV=production;
   * otherwise pages served from this machine (`http://localhost:<any port>`, `127.0.0.1`, `[::1]`)
   * and Apollo's hosted Sandbox (`https://studio.apollographql.com`). See src/http/cors.ts.
   */
  corsOrigins: '*' | string[] | undefined;
  /** The doors other than GraphQL: marketplace webhooks, POS batches (see src/channels). */
  channels: ChannelSettings;
  /** Duplicate-risk scoring. Default: no model (RISK_MODEL_PATH unset), today's rule. */
  risk: RiskSettings;
}

/** Reads and validates the environment. Nothing else in src/ reads `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnvironment(environmentSchema, env);
  const jwtSecret = jwtSecretOf(e);
  const risk = riskSettingsOf(e);
  if (Array.isArray(risk)) throw new ConfigError(`Invalid environment:\n  ${risk.join('\n  ')}`);
  const marketplaceSchemes = parseMarketplaceSchemes(
    e.MARKETPLACE_WEBHOOK_SCHEMES ?? '',
    e.MARKETPLACE_WEBHOOK_SECRETS,
  );
  if (typeof marketplaceSchemes === 'string')
    throw new ConfigError(`Invalid environment:\n  MARKETPLACE_WEBHOOK_SCHEMES: ${marketplaceSchemes}`);
  const mode = runModeOf(e);
  if (e.NODE_ENV === 'production' && mode.kind === 'embedded') {
    // A deploy that lost its variables must fail, not start on an empty local database.
    throw new ConfigError(
      'Invalid environment:\n  DATABASE_URL, REDIS_URL: required when NODE_ENV=production (the embedded mode is for one development instance)',
    );
  }
  return {
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    mode,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    orderTransactionBudgetMs: e.ORDER_TRANSACTION_BUDGET_MS,
    databasePreparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    redisTimeoutMs: e.REDIS_TIMEOUT_MS,
    redisClientTracking: e.REDIS_CLIENT_TRACKING,
    jwtSecret,
    idempotencyLeaseMs: e.IDEMPOTENCY_LEASE_MS,
    idempotencyRetentionMs: e.IDEMPOTENCY_RETENTION_MS,
    idempotencyRetryAfterMs: e.IDEMPOTENCY_RETRY_AFTER_MS,
    idempotencyRepeatWaitMs: e.IDEMPOTENCY_REPEAT_WAIT_MS,
    orderTokenTtlMs: e.ORDER_TOKEN_TTL_MS,
    orderTokenSecret: e.ORDER_TOKEN_SECRET ?? null,
    catalogCacheTtlMs: e.CATALOG_CACHE_TTL_MS,
    audit: {
      maxBufferedRecords: e.AUDIT_BUFFER_MAX,
      batchSize: e.AUDIT_BATCH_SIZE,
      flushIntervalMs: e.AUDIT_FLUSH_INTERVAL_MS,
      shutdownTimeoutMs: e.AUDIT_SHUTDOWN_TIMEOUT_MS,
    },
    semanticDuplicates: { policyByChannel: e.SEMANTIC_DUPLICATE_POLICY, windowMs: e.SEMANTIC_DUPLICATE_WINDOW_MS },
    migrateOnStart: e.MIGRATE_ON_START,
    logLevel: e.LOG_LEVEL,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    httpBodyLimitBytes: e.HTTP_BODY_LIMIT_BYTES,
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    graphqlLimits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxCost: e.GRAPHQL_MAX_COST,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
    },
    orderRateLimit: e.ORDER_RATE_LIMIT,
    orderRateLimitTimeoutMs: e.ORDER_RATE_LIMIT_TIMEOUT_MS,
    corsOrigins: e.CORS_ORIGINS,
    channels: {
      marketplaceSecrets: e.MARKETPLACE_WEBHOOK_SECRETS,
      marketplaceSchemes,
      signatureToleranceMs: e.MARKETPLACE_SIGNATURE_TOLERANCE_MS,
      posUploadLimitBytes: e.POS_UPLOAD_LIMIT_BYTES,
      posBatchConcurrency: e.POS_BATCH_CONCURRENCY,
    },
    risk,
  };
}

/** The database `npm run migrate` applies migrations to. */
export type MigrationTarget =
  | { kind: 'servers'; databaseUrl: string }
  | { kind: 'embedded'; /** Absolute path of the embedded database's folder. */ dataDir: string };

/**
 * DATABASE_URL when it is set; otherwise the embedded database's folder (EMBEDDED_DATA_DIR), the
 * one `npm start` serves without DATABASE_URL. (It was once the local server's `postgres`
 * database: a newcomer who ran it beside the embedded server migrated a database nothing used.)
 */
export function loadMigrationTarget(env: NodeJS.ProcessEnv = process.env): MigrationTarget {
  const e = parseEnvironment(environmentSchema.pick({ DATABASE_URL: true, EMBEDDED_DATA_DIR: true }), env);
  return e.DATABASE_URL
    ? { kind: 'servers', databaseUrl: e.DATABASE_URL }
    : { kind: 'embedded', dataDir: path.resolve(e.EMBEDDED_DATA_DIR) };
}

/**
 * The bearer tokens' secret alone, as loadConfig reads it: for a tool that only signs tokens (`npm
 * run token`), which must not refuse because of settings it never uses (DATABASE_URL without REDIS_URL).
 */
export function loadJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  return jwtSecretOf(parseEnvironment(environmentSchema.pick({ NODE_ENV: true, JWT_SECRET: true }), env));
}

/** The variables `schema` reads, validated; every problem named in one ConfigError. */
function parseEnvironment<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const parsed = schema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    // A value can fail two checks with one message (`-1.5`: not whole, below the minimum): say it once.
    throw new ConfigError(`Invalid environment:\n  ${[...new Set(problems)].join('\n  ')}`);
  }
  return parsed.data;
}

/** An exported-but-empty variable (`FOO=`) means "use the default", as most tools treat it. */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
