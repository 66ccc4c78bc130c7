import { execFile } from 'node:child_process';
import path from 'node:path';
import { TEST_REDIS_URL } from './redis';
import { PROJECT_ROOT } from './server';
import type { TestServerFixture } from './test-server-fixture';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `npm run dedupe` command (npm test builds first) against a fixture's database and Redis prefix. */
export function runDedupe(fixture: TestServerFixture, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'dist/src/order-index/dedupe-cli.js'), ...args],
      {
        env: {
          ...process.env,
          DATABASE_URL: fixture.db.url,
          REDIS_URL: TEST_REDIS_URL,
          REDIS_KEY_PREFIX: fixture.server.config.redisKeyPrefix,
          LOG_LEVEL: 'silent',
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** The summary a command prints: its last stdout line, as JSON. */
export const lastJson = (text: string): unknown => JSON.parse(text.trim().split('\n').pop()!);
