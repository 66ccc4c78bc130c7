import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { createApp } from '../../src/app/create-app';
import type { App } from '../../src/app/create-app';
import { signViewerToken } from '../../src/auth/jwt';
import type { Role } from '../../src/auth/viewer';
import { loadConfig } from '../../src/config/config';
import type { Config } from '../../src/config/config';
import { createLogger } from '../../src/observability/logger';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from './redis';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

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

/** The real server (HTTP, Apollo, Prisma, Redis) in this process, on a free port. */
export async function startTestServer(
  databaseUrl: string,
  label: string,
  extra: Record<string, string> = {},
): Promise<TestServer> {
  const config = loadConfig(testEnvironment(databaseUrl, label, extra));
  const app = await createApp(config, createLogger(config.logLevel));
  const url = await app.start();
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

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON log line the process has written to stdout so far. */
  logs: Record<string, unknown>[];
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** The built server (`dist/src/main.js`, made by `npm run build`) as a separate OS process. */
export async function spawnServerProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
  /** Another build of the server (e.g. the Dockerfile's): its folder and the script node runs there. */
  build: { cwd: string; entry: string[] } = { cwd: PROJECT_ROOT, entry: ['dist/src/main.js'] },
): Promise<ServerProcess> {
  const child = spawn(process.execPath, build.entry, {
    cwd: build.cwd,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string; level?: number };
        logs.push(entry);
        // TEST_SERVER_LOGS=1 shows what a spawned server warns about (pino: 40 = warn).
        if (process.env['TEST_SERVER_LOGS'] && (entry.level ?? 0) >= 40) process.stderr.write(`${line}\n`);
        if (entry.msg === 'order gate is serving' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url.replace(/\/graphql$/, ''));
        }
      } catch {
        // not a log line of ours
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before serving: ${stderr}`));
    });
  });
  return { url, child, logs, exited };
}
