import path from 'node:path';
import { z } from 'zod';
import { parseMarketplaceSchemes, parseMarketplaceSecrets } from './marketplace-secrets';
import { wholeNumber } from './numeric-variables';
import type { MarketplaceSchemes, MarketplaceSecrets } from './marketplace-secrets';
import { parseRedisClusterNodes } from './redis-cluster-nodes';
import type { RedisClusterSetting } from './redis-cluster-nodes';
import { riskEnvironment, riskSettingsOf } from './risk-settings';
import type { RiskSettings } from './risk-settings';
import { parseSemanticDuplicatePolicy } from './semantic-duplicate-policy';
import type { SemanticDuplicateOptions } from './semantic-duplicate-policy';
import { anyCase, booleanFlag } from './words';

/** Thrown at start-up when the environment is unusable; the message names each bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEVELOPMENT_JWT_SECRET = 'order-gate-development-secret-change-me';
const DEFAULT_EMBEDDED_DATA_DIR = '.data/pglite';
/** The refusal of a secret too short to be one, with a way to make one. */
const SECRET_LENGTH = 'expected at least 16 characters (`openssl rand -hex 32` makes one)';
/** What REDIS_KEY_PREFIX takes: its refusal, which docs/configuration.md's accepts column reads. */
const REDIS_KEY_PREFIX_TAKES = '1 to 64 characters of `A-Z a-z 0-9 : _ -`';

/** A duration in milliseconds of at least 1, the most common setting. */
const positiveMs = wholeNumber({ min: 1, unit: 'milliseconds' });

/** `<count>/<seconds>`, e.g. `30/10`: at most `count` new orders per customer per window. */
const rateLimit = z
  .string()
  .regex(/^\d{1,9}\/\d{1,7}$/, 'expected `<count>/<seconds>`, e.g. `30/10`')
  .transform((value) => {
    const [count, seconds] = value.split('/').map(Number) as [number, number];
    return { count, windowMs: seconds * 1000 };
  })
  .refine((limit) => limit.count > 0 && limit.windowMs > 0, 'count and seconds must be positive');

/** A text variable read by a parser that returns the value, or a message saying what is wrong. */
function parsedWith<T>(parse: (text: string) => T | string) {
  return (text: string, ctx: z.RefinementCtx): T => {
    const value = parse(text);
    if (typeof value !== 'string') return value;
    ctx.addIssue({ code: 'custom', message: value });
    return z.NEVER;
  };
}

/**
 * Every variable the server reads, each with its meaning: docs/configuration.md is generated from
 * these descriptions and defaults (`npm run docs:generate`; a test fails when the page is stale).
 */
export const environmentSchema = z.object({
  // In lower case only: Express and other libraries read NODE_ENV themselves and compare it exactly,
  // so `Production` taken here would run half the process as production and half not.
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      error:
        'expected development, production or test, in lower case (Express and other libraries read NODE_ENV themselves and compare it exactly)',
    })
    .default('development')
    .describe(
      '`development` serves Apollo Sandbox and introspection; `production` requires JWT_SECRET, refuses the embedded mode, hides schema suggestions and closes CORS by default; `test` behaves as `development`.',
    ),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface to listen on.'),
  PORT: wholeNumber({ min: 0, max: 65_535 }).default(4000).describe('TCP port; 0 picks a free one.'),
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
      'A standalone Redis for claims, order tokens and the rate limit (servers mode): `redis://[[USER]:PASSWORD@]HOST:PORT[/DATABASE]`, `rediss://` for TLS (its certificate checked against Node’s CAs; NODE_EXTRA_CA_CERTS adds a private CA). Down or unreachable at start, the server starts and serves on the database path until it is back; a Redis that answers and refuses it (a wrong or missing password, a database it does not have, plain text behind `rediss://`, TLS only behind `redis://`, a certificate Node does not trust) stops the start with `Cannot start: REDIS_URL …`, and later is logged as an error naming REDIS_URL.',
    ),
  EMBEDDED_DATA_DIR: z
    .string()
    .min(1)
    .default(DEFAULT_EMBEDDED_DATA_DIR)
    .describe(
      "Folder of the embedded PostgreSQL (PGlite) when neither DATABASE_URL nor REDIS_URL is set, created with its parents when missing; locked to one process by a `<folder>.lock` file beside it. A folder that cannot be used (a file, not creatable, not writable, or its lock file not writable) stops the start at once with `Cannot start: EMBEDDED_DATA_DIR <path> cannot be the database's folder: <why>`.",
    ),
  REDIS_CLUSTER_NODES: z
    .string()
    .transform(parsedWith(parseRedisClusterNodes))
    .optional()
    .describe(
      'Start-up nodes of a Redis Cluster, instead of REDIS_URL: `host:port,…`, or each node as `redis://[[USER]:PASSWORD@]HOST:PORT` (`rediss://` for TLS), every node with the same scheme and credentials. Refused as REDIS_URL is (`Cannot start: REDIS_CLUSTER_NODES …`, passwords hidden).',
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
  JWT_SECRET: z
    .string()
    .min(16, SECRET_LENGTH)
    .optional()
    .describe('HS256 secret of bearer tokens. Required in production; a fixed development secret otherwise.'),
  IDEMPOTENCY_LEASE_MS: positiveMs
    .default(30_000)
    .describe('How long a claim holds its key if its request never finishes (ms). Must outlive the slowest request.'),
  IDEMPOTENCY_RETENTION_MS: positiveMs
    .default(24 * 60 * 60 * 1000)
    .describe(
      'How long a completed key (with its stored answer) answers from Redis (ms); the database remembers keys for good.',
    ),
  IDEMPOTENCY_RETRY_AFTER_MS: positiveMs
    .default(500)
    .describe('Retry hint of RequestInProgress (ms), capped by the lease left.'),
  IDEMPOTENCY_REPEAT_WAIT_MS: wholeNumber({ min: 0, max: 10_000, unit: 'milliseconds' })
    .default(500)
    .describe(
      "How long a repeat may wait for its key's first request when that one runs in the same process (ms): it then gets the first answer (DuplicateDetected) as soon as it exists instead of RequestInProgress. By default as long as the retry hint a client would otherwise wait before coming back. 0: never waits.",
    ),
  ORDER_TOKEN_TTL_MS: positiveMs.default(10 * 60 * 1000).describe('Lifetime of an issued order token (ms).'),
  ORDER_TOKEN_SECRET: z
    .string()
    .min(16, SECRET_LENGTH)
    .optional()
    .describe('HMAC secret of order tokens. Default: derived from JWT_SECRET.'),
  CATALOG_CACHE_TTL_MS: wholeNumber({ min: 0, unit: 'milliseconds' })
    .default(1_000)
    .describe(
      'How long a product shown on order items may come from the process memory (ms), and so how long a createOrder repeat may be answered with its stored response (its claim checked each time): a product on a replayed response may be up to twice this old (read from the cache near the end of its time, then replayed for one more); 0 reads the database every time. Orders are always priced from locked rows.',
    ),
  AUDIT_BUFFER_MAX: wholeNumber({ min: 1 })
    .default(100_000)
    .describe('Audit records of repeats held in memory at most; beyond, new ones are dropped and counted.'),
  AUDIT_BATCH_SIZE: wholeNumber({ min: 1, max: 5_000 }).default(500).describe('Audit records per INSERT.'),
  AUDIT_FLUSH_INTERVAL_MS: positiveMs
    .default(250)
    .describe(
      'How often buffered audit records are written (ms): what a crash can lose at most, beyond a batch in flight.',
    ),
  AUDIT_SHUTDOWN_TIMEOUT_MS: positiveMs
    .default(10_000)
    .describe('How long a graceful stop keeps trying to write buffered audit records (ms).'),
  SEMANTIC_DUPLICATE_POLICY: z
    .string()
    .default('HOLD')
    .transform(parsedWith(parseSemanticDuplicatePolicy))
    .describe(
      'Possible-duplicate policy: `HOLD`, `FLAG` or `OFF`, or per channel (`WEB`, `MOBILE`, `API`, `MARKETPLACE`, `POS`), e.g. `WEB:HOLD,MARKETPLACE:FLAG,POS:OFF` (a bare policy sets the rest; either case).',
    ),
  SEMANTIC_DUPLICATE_WINDOW_MS: positiveMs
    .default(10 * 60 * 1000)
    .describe('How far back an equivalent order makes a possible duplicate (ms).'),
  MIGRATE_ON_START: booleanFlag
    .default(true)
    .describe(
      'Apply pending migrations before serving (`true`/`false`). With `false` the start only reads the migration history: a migration pending or failed stops it with `Cannot start: …` naming what to run (`npm run migrate`); migrations of a newer version are logged as a warning, and so is a PostgreSQL it cannot use then (it starts unchecked, `/readyz` naming PostgreSQL).',
    ),
  LOG_LEVEL: anyCase(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .default('info')
    .describe('pino log level, in any case (`INFO` is `info`).'),
  SHUTDOWN_DELAY_MS: wholeNumber({ min: 0, unit: 'milliseconds' })
    .default(0)
    .describe(
      'How long SIGTERM keeps serving, `/readyz` answering 503, before the listener closes and draining starts (ms): give it your load balancer’s probe interval so that it stops sending first.',
    ),
  SHUTDOWN_GRACE_MS: positiveMs
    .default(10_000)
    .describe(
      'How long SIGTERM lets the requests it has received finish once draining starts, before cutting what is left (ms).',
    ),
  HTTP_BODY_LIMIT_BYTES: wholeNumber({ min: 1_024, unit: 'bytes' })
    .default(1_048_576)
    .describe('Largest request body (bytes); larger answers 413.'),
  GRAPHQL_INTROSPECTION: booleanFlag
    .optional()
    .describe('Answer introspection. Default: on, except with NODE_ENV=production.'),
  GRAPHQL_MAX_DEPTH: wholeNumber({ min: 1 })
    .default(10)
    .describe(
      'Deepest field nesting of an operation; an introspection query (`__schema`) is not counted (graphql-armor’s default; GRAPHQL_INTROSPECTION turns introspection off, and GRAPHQL_MAX_TOKENS bounds every operation).',
    ),
  GRAPHQL_MAX_ALIASES: wholeNumber({ min: 0 })
    .default(15)
    .describe('Aliased fields per operation; aliases of `__typename` are not counted (graphql-armor’s default).'),
  GRAPHQL_MAX_COST: wholeNumber({ min: 1 })
    .default(5_000)
    .describe('graphql-armor cost of an operation (objects 2, scalars 1, ×1.5 per level).'),
  GRAPHQL_MAX_TOKENS: wholeNumber({ min: 1 })
    .default(1_000)
    .describe('Lexer tokens per document; parsing stops beyond.'),
  ORDER_RATE_LIMIT: rateLimit
    .prefault('30/10')
    .describe(
      '`<count>/<seconds>`: attempts at new orders per customer per window: each new key that reaches placement counts, refused ones too (unknown SKU, too little stock: each costs a transaction); repeats never count.',
    ),
  ORDER_RATE_LIMIT_TIMEOUT_MS: positiveMs
    .default(250)
    .describe('Budget of one rate-limit call (ms); past it the order is admitted unchecked.'),
  // `*` or exact origins (`scheme://host[:port]`, as browsers send Origin): a typo must stop the
  // start, not silently lock a shop front out.
  CORS_ORIGINS: z
    .string()
    .transform((text, ctx) => {
      const entries = text.split(',').map((entry) => entry.trim());
      if (entries.length === 1 && entries[0] === '*') return '*' as const;
      const notOrigins = entries.filter(
        (entry) => !/^https?:\/\//.test(entry) || !URL.canParse(entry) || new URL(entry).origin !== entry,
      );
      if (notOrigins.length === 0) return entries;
      ctx.addIssue({
        code: 'custom',
        message:
          'expected * or a comma-separated list of origins like https://shop.example.com (scheme://host[:port], ' +
          `no path or trailing slash); not origins: ${notOrigins.map((entry) => JSON.stringify(entry)).join(', ')}`,
      });
      return z.NEVER;
    })
    .optional()
    .describe(
      "Web origins allowed to call the API from a browser: `*` or `https://shop.example.com,…`. Default: none in production; loopback pages and Apollo's hosted Sandbox in development.",
    ),
  MARKETPLACE_WEBHOOK_SECRETS: z
    .string()
    .optional()
    .transform((text, ctx) => parsedWith(parseMarketplaceSecrets)(text ?? '', ctx))
    .describe(
      '`source=secret,…`: the marketplaces whose order webhooks are accepted, each with its HMAC-SHA256 signing secret (source `a-z 0-9 -`, at most 32; secret at least 16 characters; a source named twice has both secrets, for rotation). Default: none, every webhook is refused (docs/channels.md).',
    ),
  MARKETPLACE_WEBHOOK_SCHEMES: z
    .string()
    .optional()
    .describe(
      '`source=scheme,…`: how each marketplace signs its webhooks, `hmac-sha256` (`x-signature`, the default for a source not named) or `standard-webhooks` (`webhook-id`, `webhook-timestamp`, `webhook-signature`; its secrets in MARKETPLACE_WEBHOOK_SECRETS are `whsec_…`). E.g. `bazaar=standard-webhooks` (docs/channels.md).',
    ),
  MARKETPLACE_SIGNATURE_TOLERANCE_MS: positiveMs
    .default(5 * 60 * 1000)
    .describe(
      "How far a webhook's signed timestamp may be from the server's clock, either way (ms); older deliveries are refused as replays. For `standard-webhooks` sources at most 5 minutes, the `standardwebhooks` library's own bound.",
    ),
  POS_UPLOAD_LIMIT_BYTES: wholeNumber({ min: 1_024, unit: 'bytes' })
    .default(20 * 1_048_576)
    .describe('Largest POS file upload (bytes); larger answers 413.'),
  POS_BATCH_CONCURRENCY: wholeNumber({ min: 1, max: 64 })
    .default(4)
    .describe('Receipts of one POS upload placed at the same time.'),
  ...riskEnvironment,
});

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

type Environment = z.infer<typeof environmentSchema>;

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

/** Settings of the channel adapters (src/channels). */
export interface ChannelSettings {
  /** Signing secrets per marketplace source (MARKETPLACE_WEBHOOK_SECRETS `source=secret,…`). Default none: every webhook is refused. */
  marketplaceSecrets: MarketplaceSecrets;
  /** The signing scheme of each source that does not use `hmac-sha256` (MARKETPLACE_WEBHOOK_SCHEMES). Default none. */
  marketplaceSchemes: MarketplaceSchemes;
  /** How far a webhook's signed timestamp may be from the server's clock, either way (ms). Default 300 000 (5 min). */
  signatureToleranceMs: number;
  /** Largest POS file upload (bytes). Default 20 971 520 (20 MiB). */
  posUploadLimitBytes: number;
  /** Receipts of one POS upload placed at the same time. Default 4. */
  posBatchConcurrency: number;
}

/** How the audit log buffers the records of repeats (a created order's record is written with the order). */
export interface AuditSettings {
  /** Records held in memory at most; beyond it new records are dropped and counted. Default 100 000. */
  maxBufferedRecords: number;
  /** Records per INSERT. Default 500. */
  batchSize: number;
  /** How often the background writer flushes (ms). Default 250. */
  flushIntervalMs: number;
  /** How long shutdown keeps retrying to write what is left (ms). Default 10 000. */
  shutdownTimeoutMs: number;
}

/** Limits on the shape of one GraphQL operation. */
export interface GraphQLLimits {
  /** Deepest field nesting (fragments flattened). Default 10. */
  maxDepth: number;
  /** Aliased fields per operation. Default 15. */
  maxAliases: number;
  /** graphql-armor cost (objects 2, scalars 1, ×1.5 per level). Default 5 000. */
  maxCost: number;
  /** Lexer tokens per document; parsing stops beyond it. Default 1 000. */
  maxTokens: number;
}

/** A fixed-window rate limit. */
export interface RateLimitSetting {
  /** Requests allowed per window. */
  count: number;
  /** Window length in ms. */
  windowMs: number;
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

/** JWT_SECRET, required in production; a fixed development secret otherwise. */
function jwtSecretOf(e: Pick<Environment, 'NODE_ENV' | 'JWT_SECRET'>): string {
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) {
    throw new ConfigError('Invalid environment:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  return e.JWT_SECRET ?? DEVELOPMENT_JWT_SECRET;
}

/**
 * Both variables set: the servers. Neither: embedded. One alone is refused rather than guessed:
 * PostgreSQL without Redis, or the reverse, is a deployment missing a variable.
 */
function runModeOf(
  e: Pick<
    Environment,
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

/** An exported-but-empty variable (`FOO=`) means "use the default", as most tools treat it. */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
