import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { createRedisConnection, redisReadiness } from '../../src/redis/redis-connection';
import type { RedisConnection } from '../../src/redis/redis-connection';
import { redisSettingOf, refusalCause } from '../../src/redis/redis-refusal';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postGraphQL } from '../support/graphql-client';
import { request } from '../support/http';
import { CREATE_ORDER } from '../support/operations';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { spawnServerProcess, testEnvironment } from '../support/server';
import type { ServerProcess } from '../support/server';
import { waitUntil } from '../support/wait';

/** pino's error level: a refusal of the settings. Outages are warnings (40). */
const ERROR = 50;

const replyError = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

const reasonOf = (error: unknown, cluster = false) => refusalCause(error, cluster)?.reason ?? null;
const tlsError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('telling a refusal of the settings from an outage', () => {
  it.each([
    ['a wrong password', 'WRONGPASS invalid username-password pair or user is disabled.', /password/],
    ['no password where one is needed', 'NOAUTH Authentication required.', /redis:\/\/:PASSWORD@/],
    ['a database Redis does not have', 'ERR DB index is out of range', /database it does not have/],
    ['protected mode', 'DENIED Redis is running in protected mode because protected mode is enabled', /protected/],
  ])('reads %s as a refusal, quoting Redis and saying what to check', (_, answer, hint) => {
    expect(reasonOf(replyError(answer))).toMatch(new RegExp(`^Redis answered "${answer}": `));
    expect(reasonOf(replyError(answer))).toMatch(hint);
  });

  it("reads a Cluster's failed slot refresh by its last node's answer", () => {
    const failed = Object.assign(new Error('Failed to refresh slots cache.'), {
      lastNodeError: replyError('NOAUTH Authentication required.'),
    });
    expect(refusalCause(failed, true)).toEqual({
      kind: 'password-required',
      reason: expect.stringMatching(
        /it requires a password: write every node as redis:\/\/:PASSWORD@host:port/,
      ) as string,
    });
  });

  it.each([
    ['a CA Node does not know', 'SELF_SIGNED_CERT_IN_CHAIN', 'certificate-untrusted', /NODE_EXTRA_CA_CERTS/],
    ['a self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate-untrusted', /NODE_EXTRA_CA_CERTS/],
    ['a certificate for another name', 'ERR_TLS_CERT_ALTNAME_INVALID', 'certificate-name', /name the host as/],
    ['an expired certificate', 'CERT_HAS_EXPIRED', 'certificate-expired', /renew it/],
  ])('reads %s as a refusal, naming the code and what to change', (_, code, kind, hint) => {
    const cause = refusalCause(tlsError(code, 'as Node says it'), false);
    expect(cause).toEqual({ kind, reason: expect.stringMatching(hint) as string });
    expect(cause?.reason).toMatch(
      new RegExp(`^TLS refused the server's certificate \\("as Node says it", ${code}\\): `),
    );
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' })],
    ['a closed connection', new Error('Connection is closed.')],
    ['a Redis loading its data', replyError('LOADING Redis is loading the dataset in memory')],
    [
      'a slot refresh that found nobody',
      Object.assign(new Error('x'), { lastNodeError: new Error('Connection is closed.') }),
    ],
    ['a reset connection', tlsError('ECONNRESET', 'read ECONNRESET')],
  ])('reads %s as an outage', (_, error) => {
    expect(refusalCause(error, false)).toBeNull();
  });

  it('names the setting with its password hidden, or the Cluster nodes when they serve', () => {
    expect(redisSettingOf({ url: 'redis://app:s3cret@redis.internal:6380/2' })).toBe(
      'REDIS_URL redis://app:***@redis.internal:6380/2',
    );
    const nodes = [
      { host: 'a', port: 7000 },
      { host: '::1', port: 7001 },
    ];
    expect(redisSettingOf({ url: 'redis://ignored:6379', cluster: { nodes, tls: false } })).toBe(
      'REDIS_CLUSTER_NODES a:7000,[::1]:7001',
    );
    expect(redisSettingOf({ url: '', cluster: { nodes, tls: true, username: 'app', password: 's3cret' } })).toBe(
      'REDIS_CLUSTER_NODES rediss://app:***@a:7000,rediss://app:***@[::1]:7001',
    );
    expect(redisSettingOf({ url: '', cluster: { nodes, tls: false, password: 's3cret' } })).toBe(
      'REDIS_CLUSTER_NODES redis://:***@a:7000,redis://:***@[::1]:7001',
    );
  });
});

describe('a connection whose Redis comes back with fewer databases', () => {
  let server: RedisServer | undefined;
  let connection: RedisConnection | undefined;
  afterAll(async () => {
    connection?.disconnect();
    await server?.kill();
  });

  it('is not used (ioredis would go on in database 0), and the refusal is logged as an error naming REDIS_URL', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    server = await startRedisServer(['--databases', '16']);
    const url = `redis://127.0.0.1:${server.port}/9`;
    connection = createRedisConnection({ url, commandTimeoutMs: 1_000 }, logger);
    expect(await redisReadiness(connection, 5_000)).toBe('ready');

    const port = server.port;
    await server.kill();
    server = await startRedisServer(['--databases', '4'], port);
    await waitUntil('the refusal logged', async () => lines.some((line) => line['level'] === ERROR));

    const key = `og-test:refusal:${randomUUID()}`;
    const writes = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 50));
        return connection!.set(key, 'in the wrong database').then(
          () => 'written',
          () => 'refused',
        );
      }),
    );
    expect(writes.filter((outcome) => outcome === 'written')).toEqual([]);
    const databaseZero = new Redis(`redis://127.0.0.1:${port}/0`);
    try {
      expect(await databaseZero.exists(key)).toBe(0);
    } finally {
      databaseZero.disconnect();
    }
    expect(await redisReadiness(connection, 1_000)).toEqual({
      setting: `REDIS_URL ${url}`,
      kind: 'unknown-database',
      reason: expect.stringContaining('ERR DB index is out of range') as string,
    });
    expect(lines.filter((line) => line['level'] === ERROR)).toEqual([
      expect.objectContaining({ msg: expect.stringMatching(/^Redis refuses REDIS_URL: a configuration error/) }),
    ]);
  });
});

describe('a server whose Redis password is rotated while it serves', () => {
  const FIRST = 'first-password-of-the-test';
  const SECOND = 'second-password-of-the-test';
  let db: TestDatabase;
  let redis: RedisServer;
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('redis_refusal');
    redis = await startRedisServer([], undefined, { password: FIRST });
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await redis?.kill();
    await db?.drop();
  });

  it('logs one error naming REDIS_URL, not an outage, and goes on placing one order per key', async () => {
    await seedProducts(db.url, [{ sku: 'ROTATE-1', priceCents: 300, stock: 10 }]);
    const env = testEnvironment(db.url, 'redis-refusal', { REDIS_URL: redis.url });
    server = await spawnServerProcess(env);
    const token = await signViewerToken({ customerId: 'rosa', role: 'customer' }, loadConfig(env).jwtSecret);
    // Another quantity each time: the same cart under a new key would be held as a possible duplicate.
    const place = async (key: string, quantity: number) => {
      const input = { currency: 'EUR', items: [{ sku: 'ROTATE-1', quantity }] };
      const response = await postGraphQL<{ createOrder: { __typename: string; detectedBy?: string } }>(
        server!.url,
        CREATE_ORDER,
        { key, input },
        { token },
      );
      expect(response.body.errors).toBeUndefined();
      return response.body.data!.createOrder;
    };
    expect((await place(`key-${randomUUID()}`, 1)).__typename).toBe('OrderCreated');

    const admin = new Redis(redis.url);
    try {
      await admin.config('SET', 'requirepass', SECOND);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
    } finally {
      admin.disconnect();
    }
    const logs = server.logs;
    const refusals = () =>
      logs.filter((entry) => entry['level'] === ERROR && /^Redis refuses/.test(String(entry['msg'])));
    await waitUntil('the refusal logged', async () => refusals().length > 0);
    const firstAt = Date.now();

    const key = `key-${randomUUID()}`;
    expect(await place(key, 2)).toEqual({ __typename: 'OrderCreated', order: expect.anything() as unknown });
    expect(await place(key, 2)).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'DATABASE' });
    // Refused, with the reason, rather than down: waiting will not mend it. Still 200 (degraded).
    const ready = await request(server.url, '/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({
      status: 'degraded',
      refused: {
        redis: expect.stringMatching(
          /^Redis answered "WRONGPASS .*is the password \(and the user\) right\?$/,
        ) as string,
      },
      checks: { postgres: 'up', redis: 'refused' },
    });
    expect(ready.text).not.toContain(FIRST);
    const metrics = (await request(server.url, '/metrics')).text;
    const refusalsCounted = /^order_gate_redis_refusals_total\{reason="wrong-password"\} (\d+)$/m.exec(metrics);
    expect(Number(refusalsCounted?.[1])).toBeGreaterThanOrEqual(1);

    // Reconnect attempts go on (every 2 s at most); the refusal is not logged again for each.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstAt + 4_000 - Date.now())));
    expect(refusals().length).toBeLessThanOrEqual(2); // the claims' connection and the rate limit's
    expect(refusals()[0]).toMatchObject({
      msg: expect.stringMatching(/^Redis refuses REDIS_URL: a configuration error, not an outage/) as string,
      redis: `REDIS_URL redis://:***@127.0.0.1:${redis.port}`,
      reason: expect.stringContaining('WRONGPASS') as string,
    });
    const outages = logs.filter((entry) => entry['msg'] === 'redis connection error');
    expect(JSON.stringify(outages)).not.toMatch(/WRONGPASS|NOAUTH/);
    expect(JSON.stringify(logs)).not.toContain(FIRST);
  });
});
