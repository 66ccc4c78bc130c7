import http from 'node:http';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { viewerFromAuthorization } from '../auth/jwt';
import { CatalogService } from '../catalog/catalog.service';
import type { Config } from '../config/config';
import { createPrismaClient } from '../db/prisma';
import type { PrismaClient } from '../db/prisma';
import { createRedisConnection, redisReady } from '../db/redis';
import type { RedisConnection } from '../db/redis';
import { createApolloServer } from '../graphql/apollo-server';
import { GraphQLContext } from '../graphql/context';
import { buildOrderGateSchema, createResolverContainer } from '../graphql/schema';
import { createExpressApp, listen } from '../http/http-server';
import { IdempotencyGuard } from '../idempotency/idempotency-guard';
import { RedisClaimStore } from '../idempotency/redis-claim-store';
import type { Logger } from '../observability/logger';
import { idempotencyTelemetry } from '../observability/idempotency-telemetry';
import { Metrics } from '../observability/metrics';
import { OrderPlacementService } from '../orders/order-placement.service';
import { OrderService } from '../orders/order.service';
import type { AppServices } from './services';

/** How long start() waits for Redis before serving without it (ms). */
const REDIS_READY_WAIT_MS = 2_000;

/** A wired server: start it to listen, stop it to drain and close every connection. */
export interface App {
  readonly services: AppServices;
  readonly prisma: PrismaClient;
  /** The process's one Redis connection (standalone or Cluster): share it, do not open others. */
  readonly redis: RedisConnection;
  readonly httpServer: http.Server;
  /** Listens on the configured host and port; resolves with the base URL. */
  start(): Promise<string>;
  /** Stops taking requests, lets in-flight ones finish, then closes PostgreSQL and Redis. */
  stop(): Promise<void>;
}

/** The composition root: the only place that builds services and decides what talks to what. */
export async function createApp(config: Config, logger: Logger): Promise<App> {
  const prisma = createPrismaClient({ databaseUrl: config.databaseUrl, poolSize: config.databasePoolSize });
  const redis = createRedisConnection(
    { url: config.redisUrl, clusterNodes: config.redisClusterNodes, commandTimeoutMs: config.redisTimeoutMs },
    logger,
  );
  const metrics = new Metrics({ collectProcessMetrics: true });
  const orders = new OrderService(prisma);
  const services: AppServices = {
    catalog: new CatalogService(prisma),
    orders,
    placement: new OrderPlacementService(prisma, orders),
    idempotencyGuard: new IdempotencyGuard(
      new RedisClaimStore(redis, config.redisKeyPrefix),
      {
        leaseMs: config.idempotencyLeaseMs,
        retentionMs: config.idempotencyRetentionMs,
        retryAfterMs: config.idempotencyRetryAfterMs,
        storeTimeoutMs: config.redisTimeoutMs,
      },
      metrics,
      logger,
      [idempotencyTelemetry(metrics)],
    ),
    metrics,
  };
  const resolvers = createResolverContainer(services);

  const httpServer = http.createServer();
  const apollo = createApolloServer({
    schema: await buildOrderGateSchema(),
    introspection: config.nodeEnv !== 'production',
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();
  const expressApp = createExpressApp({
    apollo,
    logger,
    createContext: async ({ requestId, authorization }) =>
      new GraphQLContext(
        requestId,
        await viewerFromAuthorization(authorization, config.jwtSecret),
        services,
        resolvers,
        logger.child({ requestId }),
      ),
  });
  httpServer.on('request', expressApp);

  return {
    services,
    prisma,
    redis,
    httpServer,
    async start() {
      // Serving without Redis is correct (the database decides), just slower: wait a moment for
      // it so that the first requests after a restart already get the fast path.
      if (!(await redisReady(redis, REDIS_READY_WAIT_MS))) logger.warn('redis is not ready: serving on the database path until it is');
      return listen(httpServer, config.port, config.host);
    },
    async stop() {
      await apollo.stop();
      await Promise.allSettled([prisma.$disconnect(), redis.quit()]);
      redis.disconnect();
    },
  };
}
