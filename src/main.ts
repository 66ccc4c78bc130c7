import { createApp } from './app/create-app';
import { ConfigError, loadConfig } from './config/config';
import { assertCanListen } from './http/http-server';
import { preloadGivenNames } from './dedupe/given-names/known-given-names';
import type { Config } from './config/config';
import { createLogger } from './observability/logger';
import type { Logger } from './observability/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { asynchronous: true });
  logRunMode(config, logger);
  await assertCanListen(config.port, config.host);
  const app = await createApp(config, logger);
  // The duplicate matcher's lists of given names, read before the first order rather than during it.
  preloadGivenNames();
  // With the port listened on (PORT=0 picks one).
  const { listening, url } = await app.start();
  logger.info(
    { listening, url: `${url}/graphql`, nodeEnv: config.nodeEnv, mode: config.mode.kind },
    'order gate is serving',
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (config.shutdownDelayMs > 0)
      logger.info(
        { signal, delayMs: config.shutdownDelayMs },
        'shutting down: still serving, /readyz answering 503, then draining in-flight requests',
      );
    else logger.info({ signal }, 'shutting down: draining in-flight requests');
    app.stop().then(
      () => {
        logger.info(
          config.mode.kind === 'servers'
            ? 'stopped: in-flight requests answered, PostgreSQL and Redis closed'
            : 'stopped: in-flight requests answered, the embedded database closed',
        );
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Swaps in a new duplicate-risk model file without a restart (the loader logs what it did).
  // Only with a model: otherwise SIGHUP keeps its default meaning (terminate).
  if (config.risk.modelPath) {
    process.on('SIGHUP', () => {
      app
        .reloadRiskModel()
        .catch((error: unknown) => logger.error({ err: error }, 'duplicate-risk model reload failed'));
    });
  }
}

/** Which mode this instance runs in: the embedded one must not be mistaken for a deployment. */
function logRunMode({ mode }: Config, logger: Logger): void {
  if (mode.kind === 'servers') {
    const cluster = mode.redisCluster !== null;
    logger.info(
      { mode: mode.kind },
      cluster
        ? 'servers mode: PostgreSQL at DATABASE_URL, claims in the Redis Cluster of REDIS_CLUSTER_NODES'
        : 'servers mode: PostgreSQL at DATABASE_URL, claims in Redis at REDIS_URL',
    );
    if (cluster && mode.redisUrl)
      logger.warn('REDIS_URL is not used: REDIS_CLUSTER_NODES is set, and the Cluster serves');
    return;
  }
  logger.info(
    { mode: mode.kind, dataDir: mode.dataDir },
    'embedded mode: PostgreSQL in-process (PGlite) in dataDir, claims and order tokens in this process memory; run ONE instance only (set DATABASE_URL and REDIS_URL to use servers)',
  );
}

main().catch((error: unknown) => {
  // A bad environment is the operator's to fix: say what is wrong, without a stack.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
