import path from 'node:path';
import { createApp } from '../../src/app/create-app';
import type { App } from '../../src/app/create-app';
import { signViewerToken } from '../../src/auth/jwt';
import type { Role } from '../../src/auth/viewer';
import { loadConfig } from '../../src/config/config';
import type { Config } from '../../src/config/config';
import { createLogger } from '../../src/observability/logger';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from './redis';

// Built server processes: in scripts/harness, since the soak starts them too.
export { SERVER_ENTRY, spawnServerProcess } from '../../scripts/harness/server-process';
export type { ServerProcess } from '../../scripts/harness/server-process';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/**
 * The environment of `npm start` on a fresh machine, as a test runs it: the embedded database in
 * `dataDir`, claims in memory, whatever DATABASE_URL and REDIS_URL the environment running the
 * tests holds (empty means unset, config.ts).
 */
export function embeddedEnvironment(dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: '',
    REDIS_URL: '',
    EMBEDDED_DATA_DIR: dataDir,
  };
}

/** The environment a test server runs with: its own database and Redis prefix, quiet logs. */
export function testEnvironment(
  databaseUrl: string,
  label: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: uniqueRedisPrefix(label),
    // The 50 ms production budget is lost whenever a loaded machine stalls an event loop that
    // long (the guard's timer fires before the reply is read), which sends requests to the
    // database path at random. Tests about a slow Redis set their own budget.
    REDIS_TIMEOUT_MS: '1000',
    // Tests hold product rows on purpose (a request in flight through a kill, a drain, a storm
    // around a crash) for longer than the 3 s production budget lasts on a loaded machine; the
    // fault tests of test/db/failures set their own budget.
    ORDER_TRANSACTION_BUDGET_MS: '15000',
    MIGRATE_ON_START: 'false',
    ...extra,
  };
}

export interface TestServer {
  url: string;
  app: App;
  config: Config;
  /** A bearer token for a customer (or an admin) of this server. */
  tokenFor(customerId: string, role?: Role): Promise<string>;
  stop(): Promise<void>;
}

/** What a client of a server needs: where it answers, and bearer tokens it accepts (a storm may spread `url` over instances). */
export type ServerAccess = Pick<TestServer, 'url' | 'tokenFor'>;

/** The real server (HTTP, Apollo, Prisma, Redis) in this process, on a free port. */
export async function startTestServer(
  databaseUrl: string,
  label: string,
  extra: Record<string, string> = {},
): Promise<TestServer> {
  const config = loadConfig(testEnvironment(databaseUrl, label, extra));
  const app = await createApp(config, createLogger(config.logLevel));
  const { url } = await app.start();
  return {
    url,
    app,
    config,
    tokenFor: (customerId, role = 'customer') => signViewerToken({ customerId, role }, config.jwtSecret),
    async stop() {
      await app.stop();
      await deleteRedisPrefix(config.redisKeyPrefix).catch(() => undefined);
    },
  };
}
