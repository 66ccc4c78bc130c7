import { createApp } from './app/create-app';
import { ConfigError, loadConfig } from './config/config';
import { applyMigrations } from './db/migrator';
import { createLogger } from './observability/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  if (config.migrateOnStart) {
    const { applied } = await applyMigrations(config.databaseUrl);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
  }
  const app = await createApp(config, logger);
  const url = await app.start();
  logger.info({ url: `${url}/graphql`, nodeEnv: config.nodeEnv }, 'order gate is serving');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining in-flight requests');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // A bad environment is the operator's to fix: say what is wrong, without a stack.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
