import { spawn } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';
import { PROJECT_ROOT } from '../support/server';

/** Runs the built server with an environment and collects how it ended. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js')], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('start-up with a bad environment', () => {
  it.each([
    ['PORT', { PORT: 'abc' }],
    ['ORDER_RATE_LIMIT', { ORDER_RATE_LIMIT: '30 per 10s' }],
    ['HTTP_BODY_LIMIT_BYTES', { HTTP_BODY_LIMIT_BYTES: '-5' }],
    ['SHUTDOWN_GRACE_MS', { SHUTDOWN_GRACE_MS: 'soon' }],
  ])('exits 1 naming %s on stderr, without a stack trace', async (name, env) => {
    const { code, stdout, stderr } = await runServer({ ...env, MIGRATE_ON_START: 'false' });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^Invalid environment:\\n  ${name}: `));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});

describe('loadConfig', () => {
  it('reads ORDER_RATE_LIMIT as <count>/<seconds>, default 30/10', () => {
    expect(loadConfig({}).orderRateLimit).toEqual({ count: 30, windowMs: 10_000 });
    expect(loadConfig({ ORDER_RATE_LIMIT: '5/60' }).orderRateLimit).toEqual({ count: 5, windowMs: 60_000 });
    for (const bad of ['0/10', '5/0', '5', '/10', '5/10/2', 'a/b']) {
      expect(() => loadConfig({ ORDER_RATE_LIMIT: bad })).toThrow(ConfigError);
    }
  });

  it('turns introspection off in production unless GRAPHQL_INTROSPECTION says otherwise', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-for-tests',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: 'redis://127.0.0.1:6379',
    };
    expect(loadConfig({}).introspection).toBe(true);
    expect(loadConfig(production).introspection).toBe(false);
    expect(loadConfig({ ...production, GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).introspection).toBe(false);
  });

  it('defaults the body limit to 1 MiB and the shutdown grace to 10 s', () => {
    const config = loadConfig({});
    expect([config.httpBodyLimitBytes, config.shutdownGraceMs]).toEqual([1_048_576, 10_000]);
    expect(config.graphqlLimits).toEqual({ maxDepth: 10, maxAliases: 15, maxCost: 5_000, maxTokens: 1_000 });
  });
});
