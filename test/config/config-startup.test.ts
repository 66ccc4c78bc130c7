import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, environmentSchema, loadConfig } from '../../src/config/config';
import { acceptsOf } from '../../scripts/generate-docs';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { freePort, startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { spawnServerProcess } from '../support/server';
import { runServer } from '../support/server-start';
import { serversMode } from '../support/servers-mode';

describe('start-up with a bad environment', () => {
  it.each([
    ['PORT', { PORT: 'abc' }],
    ['ORDER_RATE_LIMIT', { ORDER_RATE_LIMIT: '30 per 10s' }],
    ['HTTP_BODY_LIMIT_BYTES', { HTTP_BODY_LIMIT_BYTES: '-5' }],
    ['SHUTDOWN_GRACE_MS', { SHUTDOWN_GRACE_MS: 'soon' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@127.0.0.1:3306/shop', REDIS_URL: 'redis://127.0.0.1:6379' }],
    ['REDIS_URL', { DATABASE_URL: 'postgresql://postgres@127.0.0.1/postgres', REDIS_URL: 'http://127.0.0.1:6379' }],
    // Shadow mode without a model scored nothing, silently.
    ['RISK_MODE', { RISK_MODE: 'shadow' }],
  ])('exits 1 naming %s on stderr, without a stack trace', async (name, env) => {
    const { code, stdout, stderr } = await runServer({ ...env, MIGRATE_ON_START: 'false' });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^Invalid environment:\\n  ${name}: `));
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe('');
  });
});

describe('start-up that cannot use what the environment names', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'og-startup-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Exit 1, one line on stderr that starts with "Cannot start: <variable>", no stack. */
  const refusedNaming = (run: { code: number | null; stderr: string }, variable: string) => {
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^Cannot start: ${variable}[ :]`, 'm'));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it.each([
    ['a port nobody listens on', 'postgresql://postgres@127.0.0.1:1/postgres'],
    ['a database that does not exist', 'postgresql://postgres@127.0.0.1:5432/og_no_such_database'],
  ])('names DATABASE_URL when PostgreSQL cannot be used (%s)', async (_, url) => {
    const run = await runServer({ DATABASE_URL: url, REDIS_URL: 'redis://127.0.0.1:6379', PORT: '0' });
    refusedNaming(run, 'DATABASE_URL');
  });

  it('names PORT when the port is taken', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as net.AddressInfo;
      const env = { HOST: '127.0.0.1', PORT: String(port), EMBEDDED_DATA_DIR: path.join(dir, 'port') };
      const run = await runServer(env);
      refusedNaming(run, 'PORT');
      expect(run.stderr).toContain('EADDRINUSE');
      // Found before the embedded database was opened and migrated (26 s on a slow machine), not after.
      expect(existsSync(env.EMBEDDED_DATA_DIR)).toBe(false);
    } finally {
      taken.close();
    }
  });

  it.each([
    ['an address of another machine', '192.0.2.1', 'EADDRNOTAVAIL'],
    ['a name nobody knows', 'no-such-host.invalid', 'ENOTFOUND'],
  ])('names HOST when it is %s, before opening the database', async (_, host, code) => {
    const env = { HOST: host, PORT: '4999', EMBEDDED_DATA_DIR: path.join(dir, `host-${code}`) };
    const run = await runServer(env);
    refusedNaming(run, 'HOST');
    expect(run.stderr).toContain(code);
    expect(existsSync(env.EMBEDDED_DATA_DIR)).toBe(false);
  });

  it('names RISK_MODEL_PATH when the model file is missing', async () => {
    // PORT 0 and a data directory of its own: the default port or data directory held by another
    // process (a developer's server) would be refused first.
    const env = { PORT: '0', EMBEDDED_DATA_DIR: path.join(dir, 'risk-model') };
    const run = await runServer({
      ...env,
      RISK_MODEL_PATH: path.join(dir, 'no-model.json'),
      MIGRATE_ON_START: 'false',
    });
    refusedNaming(run, 'RISK_MODEL_PATH');
  });
});

describe('start-up with a Redis that answers and refuses the settings', () => {
  const PASSWORD = 'og-secret-in-the-url';
  let DATABASE_URL: string;
  let db: TestDatabase;
  let dir: string;
  let plain: RedisServer;
  let locked: RedisServer;
  let lockedClusterNode: RedisServer;
  beforeAll(async () => {
    // Migrated: with MIGRATE_ON_START=false, a database lacking migrations stops the start first.
    db = await createTestDatabase('redis_refusal_start');
    DATABASE_URL = db.url;
    dir = await mkdtemp(path.join(os.tmpdir(), 'og-redis-refusal-'));
    plain = await startRedisServer(['--databases', '16']);
    locked = await startRedisServer([], undefined, { password: PASSWORD });
    const cluster = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--dir', dir];
    lockedClusterNode = await startRedisServer(cluster, undefined, { password: PASSWORD });
  });
  afterAll(async () => {
    await Promise.all([plain, locked, lockedClusterNode].map((server) => server?.kill()));
    await rm(dir, { recursive: true, force: true });
    await db?.drop();
  });

  /** Exit 1 and one line on stderr, `Cannot start: <variable> <value, password hidden>: <reason>`, no stack. */
  const refusedWithOneLine = (run: { code: number | null; stdout: string; stderr: string }, setting: string) => {
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Cannot start: [^\n]+\n$/);
    expect(run.stderr.startsWith(`Cannot start: ${setting}: `)).toBe(true);
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
  };
  const start = (redis: Record<string, string>) =>
    runServer({ DATABASE_URL, ...redis, MIGRATE_ON_START: 'false', HOST: '127.0.0.1', PORT: '0' });

  it('names REDIS_URL when its database index is out of range', async () => {
    const run = await start({ REDIS_URL: `redis://127.0.0.1:${plain.port}/99` });
    refusedWithOneLine(run, `REDIS_URL redis://127.0.0.1:${plain.port}/99`);
    expect(run.stderr).toContain('ERR DB index is out of range');
  });

  it('names REDIS_URL, its password hidden, when the password is wrong', async () => {
    const run = await start({ REDIS_URL: `redis://:wrong-${PASSWORD}@127.0.0.1:${locked.port}` });
    refusedWithOneLine(run, `REDIS_URL redis://:***@127.0.0.1:${locked.port}`);
    expect(run.stderr).toContain('WRONGPASS');
  });

  it('names REDIS_URL when Redis requires a password it does not carry', async () => {
    const run = await start({ REDIS_URL: `redis://127.0.0.1:${locked.port}` });
    refusedWithOneLine(run, `REDIS_URL redis://127.0.0.1:${locked.port}`);
    expect(run.stderr).toContain('NOAUTH');
  });

  it('names REDIS_URL when rediss:// points at a Redis without TLS', async () => {
    const run = await start({ REDIS_URL: `rediss://127.0.0.1:${plain.port}` });
    refusedWithOneLine(run, `REDIS_URL rediss://127.0.0.1:${plain.port}`);
    expect(run.stderr).toContain('speaks plain text');
  });

  it('names REDIS_CLUSTER_NODES when a Cluster node requires a password', async () => {
    const run = await start({ REDIS_CLUSTER_NODES: `127.0.0.1:${lockedClusterNode.port}` });
    refusedWithOneLine(run, `REDIS_CLUSTER_NODES 127.0.0.1:${lockedClusterNode.port}`);
    expect(run.stderr).toContain('NOAUTH');
  });

  // Before, only a URL with a database number was refused (SELECT is not allowed in cluster mode):
  // without one the server started, /readyz said redis up, and every key of another node's slots
  // failed with MOVED onto the database path.
  it('names REDIS_URL when it points at a Cluster node, even without a database number', async () => {
    const run = await start({ REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${lockedClusterNode.port}` });
    refusedWithOneLine(run, `REDIS_URL redis://:***@127.0.0.1:${lockedClusterNode.port}`);
    expect(run.stderr).toContain('cluster_enabled:1');
    expect(run.stderr).toContain('list the nodes in REDIS_CLUSTER_NODES instead');
  });

  it('names REDIS_CLUSTER_NODES when it points at a standalone Redis', async () => {
    const run = await start({ REDIS_CLUSTER_NODES: `127.0.0.1:${plain.port}` });
    refusedWithOneLine(run, `REDIS_CLUSTER_NODES 127.0.0.1:${plain.port}`);
    expect(run.stderr).toContain('set REDIS_URL to it instead');
  });

  it('still starts, on the database path, when Redis is only unreachable', async () => {
    const server = await spawnServerProcess({
      DATABASE_URL,
      REDIS_URL: `rediss://127.0.0.1:${await freePort()}`,
      MIGRATE_ON_START: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
    });
    try {
      expect(server.logs.map((entry) => entry['msg'])).toContain(
        'redis is not ready: serving on the database path until it is',
      );
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
  });
});

/** The message loadConfig refuses `env` with. */
function configRefusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('reads ORDER_RATE_LIMIT as <count>/<seconds>, default 30/10', () => {
    expect(loadConfig({}).orderRateLimit).toEqual({ count: 30, windowMs: 10_000 });
    expect(loadConfig({ ORDER_RATE_LIMIT: '5/60' }).orderRateLimit).toEqual({ count: 5, windowMs: 60_000 });
    for (const bad of ['0/10', '5/0', '5', '/10', '5/10/2', 'a/b']) {
      expect(() => loadConfig({ ORDER_RATE_LIMIT: bad })).toThrow(ConfigError);
    }
  });

  it('says what PORT takes, whatever is wrong with it (zod said "received NaN" for a word)', () => {
    for (const bad of ['abc', '1.5', '70000', '-1'])
      expect(() => loadConfig({ PORT: bad })).toThrow(/PORT: expected a whole number from 0 to 65535$/m);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it('says what every numeric variable takes, in one line, whatever is wrong with the value', () => {
    // zod said "Invalid input: expected number, received NaN" for ORDER_TOKEN_TTL_MS=10m.
    const numeric = Object.entries(environmentSchema.shape).filter(([, schema]) =>
      /^(integer|number)\b/.test(acceptsOf(schema as Parameters<typeof acceptsOf>[0])),
    );
    expect(numeric.length).toBeGreaterThan(30);
    for (const [name] of numeric)
      for (const bad of ['10m', '1.5e400', '-1.5', 'NaN']) {
        const refusal = configRefusal({ [name]: bad });
        expect(refusal).toMatch(
          new RegExp(`^Invalid environment:\\n  ${name}: expected a (whole )?number (from|of at least) `),
        );
        expect(refusal.split('\n')).toHaveLength(2);
      }
    expect(configRefusal({ ORDER_TOKEN_TTL_MS: '10m' })).toBe(
      'Invalid environment:\n  ORDER_TOKEN_TTL_MS: expected a whole number of at least 1 (milliseconds, digits only)',
    );
    expect(configRefusal({ DATABASE_POOL_SIZE: 'ten' })).toBe(
      'Invalid environment:\n  DATABASE_POOL_SIZE: expected a whole number from 1 to 500',
    );
    expect(configRefusal({ HTTP_BODY_LIMIT_BYTES: '1mb' })).toBe(
      'Invalid environment:\n  HTTP_BODY_LIMIT_BYTES: expected a whole number of at least 1024 (bytes, digits only)',
    );
    expect(configRefusal({ RISK_MODEL_PATH: 'm.json', RISK_HOLD_AT_SCORE: 'high', RISK_FLAG_AT_SCORE: '0.5' })).toBe(
      'Invalid environment:\n  RISK_HOLD_AT_SCORE: expected a number from 0 to 1',
    );
  });

  it('reads numbers in decimal digits only, as the refusal says (found from outside: 1e3 and 0x10 were taken)', () => {
    // JavaScript's Number() read REDIS_TIMEOUT_MS=1e2 as 100, PORT=0x10 as 16 and 0b11 as 3: a
    // value in another notation was used as a number the operator never wrote.
    for (const bad of ['1e3', '0x10', '0b11', '0o7', '5 0', '+50', '1_000', '50.0'])
      for (const name of ['PORT', 'REDIS_TIMEOUT_MS', 'HTTP_BODY_LIMIT_BYTES', 'DATABASE_POOL_SIZE'])
        expect([name, bad, configRefusal({ [name]: bad })]).toEqual([
          name,
          bad,
          expect.stringMatching(new RegExp(`^Invalid environment:\\n  ${name}: expected a whole number `)),
        ]);
    expect(loadConfig({ PORT: '4001', REDIS_TIMEOUT_MS: '0100' })).toMatchObject({ port: 4001, redisTimeoutMs: 100 });
    // Spaces and line breaks around the digits are no part of the number (a YAML block scalar ends with one).
    expect(loadConfig({ PORT: ' 4001\n', REDIS_TIMEOUT_MS: '100 ' })).toMatchObject({
      port: 4001,
      redisTimeoutMs: 100,
    });
    const withModel = { RISK_MODEL_PATH: 'm.json', RISK_FLAG_AT_SCORE: '0.25' };
    for (const bad of ['1e-1', '0x1', '0 .5', '.5.'])
      expect(configRefusal({ ...withModel, RISK_HOLD_AT_SCORE: bad })).toBe(
        'Invalid environment:\n  RISK_HOLD_AT_SCORE: expected a number from 0 to 1',
      );
  });

  it('takes its own words in any case (LOG_LEVEL=INFO, MIGRATE_ON_START=TRUE, RISK_MODE=Shadow), as SEMANTIC_DUPLICATE_POLICY does', () => {
    // Found from outside: LOG_LEVEL=INFO stopped the start with a list of lower-case words.
    expect(loadConfig({ LOG_LEVEL: 'INFO' }).logLevel).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'Debug' }).logLevel).toBe('debug');
    expect(loadConfig({ MIGRATE_ON_START: 'FALSE', REDIS_CLIENT_TRACKING: 'No' })).toMatchObject({
      migrateOnStart: false,
      redisClientTracking: false,
    });
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'True' }).introspection).toBe(true);
    const shadow = loadConfig({ RISK_MODEL_PATH: 'models/duplicate-risk.json', RISK_MODE: 'SHADOW' }).risk;
    expect(shadow?.mode).toBe('shadow');
    expect(configRefusal({ LOG_LEVEL: 'verbose' })).toMatch(/^Invalid environment:\n {2}LOG_LEVEL: .*\binfo\b/);
  });

  it('says in a sentence which words a flag, a level or a mode takes (zod said \'Invalid option: expected one of "0"|"1"|…\')', () => {
    // Found from outside: MIGRATE_ON_START=maybe listed zod's quoted lower-case words, though any case is taken.
    for (const name of ['MIGRATE_ON_START', 'REDIS_CLIENT_TRACKING', 'GRAPHQL_INTROSPECTION'])
      expect(configRefusal({ [name]: 'maybe' })).toBe(
        `Invalid environment:\n  ${name}: expected true or false (or 1/0, yes/no), in any case`,
      );
    expect(configRefusal({ LOG_LEVEL: 'loud' })).toBe(
      'Invalid environment:\n  LOG_LEVEL: expected fatal, error, warn, info, debug, trace or silent, in any case',
    );
    expect(configRefusal({ RISK_MODEL_PATH: 'models/duplicate-risk.json', RISK_MODE: 'off' })).toBe(
      'Invalid environment:\n  RISK_MODE: expected decide or shadow, in any case',
    );
  });

  it('refuses NODE_ENV in another case, saying why: libraries read NODE_ENV themselves, and compare it exactly', () => {
    for (const value of ['Production', 'PRODUCTION', 'Development'])
      expect(configRefusal({ NODE_ENV: value })).toBe(
        'Invalid environment:\n  NODE_ENV: expected development, production or test, in lower case (Express and other libraries read NODE_ENV themselves and compare it exactly)',
      );
  });

  it("says how long a secret must be, and how to make one (zod said 'Too small: expected string to have >=16 characters')", () => {
    for (const name of ['JWT_SECRET', 'ORDER_TOKEN_SECRET'])
      expect(configRefusal({ [name]: 'short' })).toBe(
        `Invalid environment:\n  ${name}: expected at least 16 characters (\`openssl rand -hex 32\` makes one)`,
      );
  });

  it('says which characters REDIS_KEY_PREFIX takes (it showed its regular expression)', () => {
    expect(configRefusal({ REDIS_KEY_PREFIX: 'my shop' })).toBe(
      'Invalid environment:\n  REDIS_KEY_PREFIX: expected 1 to 64 characters of `A-Z a-z 0-9 : _ -`',
    );
    expect(loadConfig({ REDIS_KEY_PREFIX: 'shop:eu-1_a' }).redisKeyPrefix).toBe('shop:eu-1_a');
  });

  it('says which URL it expects when DATABASE_URL or REDIS_URL has another scheme', () => {
    const servers = { DATABASE_URL: 'postgresql://postgres@127.0.0.1/postgres', REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(() => loadConfig({ ...servers, DATABASE_URL: 'mysql://root@127.0.0.1:3306/shop' })).toThrow(
      /DATABASE_URL: expected a postgresql:\/\/ \(or postgres:\/\/\) URL/,
    );
    expect(() => loadConfig({ ...servers, REDIS_URL: '127.0.0.1:6379' })).toThrow(
      /REDIS_URL: expected a redis:\/\/ \(or rediss:\/\/\) URL/,
    );
  });

  it('takes a database number, and nothing else, as the path of REDIS_URL', () => {
    const servers = { DATABASE_URL: 'postgresql://postgres@127.0.0.1/postgres' };
    for (const url of ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379/', 'rediss://:pw@127.0.0.1:6379/2'])
      expect(serversMode(loadConfig({ ...servers, REDIS_URL: url })).redisUrl).toBe(url);
    // ioredis read `/shop` as no database at all, and went on in database 0.
    expect(() => loadConfig({ ...servers, REDIS_URL: 'redis://127.0.0.1:6379/shop' })).toThrow(
      /REDIS_URL: the path after the port is a database number/,
    );
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
