import http from 'node:http';
import type { Express } from 'express';
import type { ClaimStore } from 'graphql-idempotency';
import { ApolloServerPluginResponseReplay } from 'graphql-idempotency/apollo';
import { authenticate } from '../auth/jwt';
import { createChannelsRouter } from '../channels/channels.router';
import { ConfigError } from '../config/config';
import type { Config } from '../config/config';
import { openDatabase } from '../db/database';
import { Prisma } from '../db/prisma';
import type { PrismaClient } from '../db/prisma';
import type { SqlRunner } from '../db/sql-runner';
import { createDemoRouter } from '../demo/demo-router';
import type { SendHttpError } from '../demo/demo-router';
import { DemoService } from '../demo/demo.service';
import { createApolloServer } from '../graphql/apollo-server';
import { GraphQLContext } from '../graphql/context';
import { buildOrderGateSchema } from '../graphql/schema';
import { operationLimits } from '../hardening/operation-limits';
import { ApolloServerPluginDrainConnections, isUnanswerable } from '../http/drain-http-server.plugin';
import { EdgeReplay } from '../http/edge-replay';
import { sendHttpError } from '../http/http-errors';
import { createHttpLayer, listen } from '../http/http-server';
import type { ServedAt } from '../http/http-server';
import { ApolloServerPluginIdempotencyKeyHeader } from '../http/idempotency-key-header.plugin';
import { landingPagePlugin } from '../http/landing-page';
import type { ReadinessCheck } from '../http/readiness';
import { noteReplay, operationNamePlugin } from '../http/request-logging';
import { openClaimStore } from '../idempotency/open-claim-store';
import { CREATE_ORDER } from '../idempotency/order-decision-event';
import type { Logger } from '../observability/logger';
import { Metrics } from '../observability/metrics';
import { openOrderAdmission } from '../rate-limit/open-order-admission';
import { redisRefusalOf } from '../redis/redis-connection-watch';
import type { RedisConnection } from '../redis/redis-connection';
import { probeRedis } from '../redis/redis-health';
import { refusalMessage } from '../redis/redis-refusal';
import { OrderChangesListener } from '../orders/order-changes-listener';
import { OrderChangesCatchUp } from '../orders/order-changes-catch-up';
import { RedisHeardWatermarkStore } from '../stores/heard-watermark-store';
import { RECORD_COUNTERS_LUA } from '../risk/risk-feature-store';
import { RiskModelLoader } from '../risk/risk-model-loader';
import type { ReloadResult } from '../risk/risk-model-loader';
import { createContainer } from './container';
import { ApolloServerPluginLifecycle } from './lifecycle.plugin';
import { buildServices } from './services';
import type { AppServices } from './services';

/** How long start() waits for Redis before serving without it (ms). */
const REDIS_READY_WAIT_MS = 2_000;

/** A wired server: start it to listen, stop it to drain and close every connection. */
export interface App {
  readonly services: AppServices;
  readonly prisma: PrismaClient;
  /** Undefined in the embedded mode, where claims live in memory. */
  readonly redis: RedisConnection | undefined;
  /**
   * Where the guard keeps its claims (Redis, with this process's tracked near cache in front when
   * REDIS_CLIENT_TRACKING is on, or memory in the embedded mode): what tests and tools read a key
   * through as the guard sees it.
   */
  readonly claims: ClaimStore;
  readonly httpServer: http.Server;
  /** The Express app behind every route but /graphql's JSON POSTs (src/http/graphql-endpoint.ts). */
  readonly express: Express;
  /** Listens on the configured host and port; resolves with what it listens on and the base URL. */
  start(): Promise<ServedAt>;
  /** Stops taking requests, lets in-flight ones finish, then closes PostgreSQL and Redis. */
  stop(): Promise<void>;
  /** Reads the duplicate-risk model file again (SIGHUP); null when no model is configured. */
  reloadRiskModel(): Promise<ReloadResult | null>;
}

/** The composition root: the only place that builds services and decides what talks to what. */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  // First: a configured model that does not load stops the start before anything is opened.
  const riskModels = config.risk.modelPath
    ? new RiskModelLoader(
        { path: config.risk.modelPath, watchIntervalMs: config.risk.modelWatchMs, mode: config.risk.mode },
        logger,
      )
    : null;
  await riskModels?.start();
  const metrics = new Metrics({ collectProcessMetrics: true });
  const database = await openDatabase(config, logger, { metrics });
  const { prisma } = database;
  const claims = openClaimStore(config, logger, metrics);
  // The customer's duplicate-risk count-and-read rides with the limiter's call (admission-rider.ts).
  const rateLimit = openOrderAdmission(config, metrics, logger, RECORD_COUNTERS_LUA);
  const services = buildServices(config, logger, {
    prisma,
    background: database.background,
    transactions: database.transactions,
    reads: database.reads,
    claims,
    orderAdmission: rateLimit.admission,
    metrics,
    riskModels,
  });
  const container = createContainer(services);
  // A repeat sent again as it was answered (same caller, document and variables, and the same
  // completed claim in Redis) skips executing its selection set. Its live part, the products on
  // its items, is as old as the catalog's cache allows, and dropped with it on a change here.
  const identity = (context: GraphQLContext) =>
    context.viewer ? `${context.viewer.customerId}\u0000${context.viewer.role}` : undefined;
  const responseReplay = ApolloServerPluginResponseReplay<GraphQLContext>({
    guard: services.idempotencyGuard,
    // createOrder's repeat is its claim's replay (and the products); the lifecycle answers read the order as it is now.
    operations: [CREATE_ORDER],
    identity,
    ttlMs: config.catalogCacheTtlMs,
    onReplay: noteReplay,
  });
  // The same repeat sent once more is answered with the bytes Apollo sent, before Apollo runs.
  let shuttingDown = false;
  const edgeReplay = new EdgeReplay({
    responses: responseReplay,
    identity,
    maxEntries: 1_000,
    ttlMs: config.catalogCacheTtlMs,
    isShuttingDown: () => shuttingDown,
  });
  services.catalog.onProductChanged(() => responseReplay.clear());
  // Orders changed in any region (the database tells every instance): their replays forgotten in
  // this region's Redis. Not in the embedded mode: one process, which forgot them itself.
  const orderChanges =
    config.mode.kind === 'servers'
      ? new OrderChangesListener({
          databaseUrl: config.mode.listenUrl,
          replays: services.replays,
          storeCalls: { timeoutMs: config.redisTimeoutMs },
          metrics,
          logger,
          // What it did not hear while every listener of this region was down, from the region's watermark.
          catchUp: claims.redis
            ? new OrderChangesCatchUp({
                watermark: new RedisHeardWatermarkStore(claims.redis, config.redisKeyPrefix),
                retentionMs: config.idempotencyRetentionMs,
                metrics,
                logger,
              })
            : undefined,
        })
      : null;

  const httpServer = http.createServer();
  const apollo = createApolloServer({
    schema: await buildOrderGateSchema(),
    logger,
    introspection: config.introspection,
    hideSchemaDetails: config.nodeEnv === 'production',
    ...operationLimits(config.graphqlLimits),
    plugins: [
      ApolloServerPluginDrainConnections({ httpServer, gracePeriodMs: config.shutdownGraceMs }),
      ApolloServerPluginLifecycle({
        start: () => services.auditLog.start(),
        async stop() {
          riskModels?.stop();
          await orderChanges?.close();
          await services.risk?.flush();
          await services.auditLog.stop();
          await Promise.allSettled([database.close(), claims.close(), rateLimit.close()]);
        },
      }),
      landingPagePlugin(config.nodeEnv),
      ApolloServerPluginIdempotencyKeyHeader(),
      operationNamePlugin(),
      responseReplay,
    ],
  });
  await apollo.start();
  const httpLayer = createHttpLayer({
    apollo,
    logger,
    metrics,
    bodyLimitBytes: config.httpBodyLimitBytes,
    cors: config,
    edgeReplay,
    readiness: {
      checks: readinessChecks(database.background, claims.redis),
      isShuttingDown: () => shuttingDown,
    },
    createContext: async ({ requestId, authorization }) =>
      new GraphQLContext(requestId, await authenticate(authorization, config.jwtSecret), logger.child({ requestId }), {
        idempotencyGuard: services.idempotencyGuard,
        container,
      }),
  });
  // The demo signs bearer tokens for anyone who asks: never in production.
  if (config.nodeEnv !== 'production') {
    const sendDemoError: SendHttpError = (response, error, faultMessage) =>
      sendHttpError(response, error, logger, faultMessage);
    httpLayer.express.use('/demo', createDemoRouter(new DemoService(prisma, config.jwtSecret), sendDemoError));
  }
  httpLayer.express.use(
    createChannelsRouter({
      gate: services.channelGate,
      lifecycle: services.lifecycleGate,
      metrics: services.channelMetrics,
      orders: services.orders,
      settings: config.channels,
      jwtSecret: config.jwtSecret,
      bodyLimitBytes: config.httpBodyLimitBytes,
      logger,
    }),
  );
  // A request that arrived on a connection the drain had already ended is not run: no answer could leave.
  httpServer.on('request', (request, response) => {
    if (!isUnanswerable(request)) httpLayer.listener(request, response);
  });

  return {
    services,
    prisma,
    redis: claims.redis,
    claims: claims.store,
    httpServer,
    express: httpLayer.express,
    async start() {
      // Serving without Redis is correct (the database decides), just slower: wait a moment for
      // it so that the first requests after a restart already get the fast path.
      const redis = await claims.ready(REDIS_READY_WAIT_MS);
      if (redis === 'unavailable') logger.warn('redis is not ready: serving on the database path until it is');
      // A Redis that answers and refuses the settings is a mistake to fix, not an outage to wait
      // out: serving on regardless would hide it behind a slower database path (and /readyz's
      // "redis down") until someone wondered why.
      else if (redis !== 'ready') throw new ConfigError(`Cannot start: ${refusalMessage(redis)}`);
      await orderChanges?.start();
      return listen(httpServer, config.port, config.host);
    },
    async stop() {
      shuttingDown = true;
      // Still serving meanwhile, /readyz answering 503: a load balancer that probes it stops sending
      // before the listener closes (draining closes it at once, and a closed port cannot say 503).
      if (config.shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs));
      // Drains the HTTP server, then runs the lifecycle plugin's stop (audit flush, pools closed).
      await apollo.stop();
    },
    async reloadRiskModel() {
      return riskModels ? riskModels.reload() : null;
    },
  };
}

/**
 * PostgreSQL (or the embedded PGlite), and Redis when the servers mode uses it. PostgreSQL is asked
 * on the background pool, apart from the requests' pool: when every request connection waits on a
 * locked row (a storm on one order), `SELECT 1` queued behind them said "postgres down" (503) for
 * a database that answered at once, and a load balancer would pull the instance for it.
 */
function readinessChecks(background: SqlRunner, redis: RedisConnection | undefined): ReadinessCheck[] {
  const postgres: ReadinessCheck = { name: 'postgres', probe: () => background.query(Prisma.sql`SELECT 1`) };
  if (!redis) return [postgres];
  // Redis down costs speed, not correctness (the database decides every order): reported, not fatal.
  const refusal = () => redisRefusalOf(redis)?.reason ?? null;
  return [postgres, { name: 'redis', probe: () => probeRedis(redis), required: false, refusal }];
}
