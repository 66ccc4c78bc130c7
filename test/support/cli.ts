import { execFile } from 'node:child_process';
import path from 'node:path';
import { TEST_REDIS_URL } from './redis';
import { PROJECT_ROOT } from './server';

/** What a command-line tool did: its exit code and both streams. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where a built tool runs: its database (else none is reachable) and, optionally, Redis and its environment. */
export interface CliTarget {
  databaseUrl?: string;
  redisKeyPrefix?: string;
  cwd?: string;
  env?: Record<string, string>;
}

// Nothing listens here: a tool that reached for a database it was not given fails visibly.
const UNREACHABLE_DATABASE = 'postgresql://nobody@127.0.0.1:9/none';

/**
 * Runs a built tool (`npm run build` first) as an operator would: `node dist/<script> ...args`
 * (script relative to dist/), with the test database as DATABASE_URL and the test Redis.
 */
export function runBuiltCli(script: string, args: readonly string[], target: CliTarget = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'dist', script), ...args],
      {
        cwd: target.cwd ?? PROJECT_ROOT,
        timeout: 60_000,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HOME: process.env['HOME'] ?? PROJECT_ROOT,
          DATABASE_URL: target.databaseUrl ?? UNREACHABLE_DATABASE,
          REDIS_URL: TEST_REDIS_URL,
          ...(target.redisKeyPrefix ? { REDIS_KEY_PREFIX: target.redisKeyPrefix } : {}),
          LOG_LEVEL: 'silent',
          ...target.env,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** The summary a tool prints last on stdout. */
export const lastJson = <T = unknown>(text: string): T => JSON.parse(text.trim().split('\n').pop()!) as T;

/** What an operator must see instead of a crash: no Node stack trace, no unhandled event. */
export const STACK_TRACE = /\n\s+at |Unhandled|node:internal/;
