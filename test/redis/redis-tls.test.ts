import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/observability/logger';
import { createRedisConnection, redisReadiness } from '../../src/redis/redis-connection';
import { startAlertBehindHandshakeProxy } from '../support/alert-behind-handshake-proxy';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { expectRefusedStart, expectRepeatAnsweredByRedis, startRefused } from '../support/redis-deployment';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { spawnServerProcess, testEnvironment } from '../support/server';
import type { ServerProcess } from '../support/server';
import { createCertificateAuthority } from '../support/tls-certificates';
import type { CertificateAuthority } from '../support/tls-certificates';
import { waitUntil } from '../support/wait';

// A managed Redis as the docs promise it: TLS only, a password, a certificate from the provider's
// own CA. Real redis-servers (this machine's is built with TLS), certificates made by openssl.
const PASSWORD = 'tls-password-of-the-test';
const SKU = 'TLS-1';

let directory: string;
let authority: CertificateAuthority;
let db: TestDatabase;
let managed: RedisServer;
let misnamed: RedisServer;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'og-redis-tls-'));
  authority = await createCertificateAuthority(directory);
  const [own, other] = await Promise.all([
    authority.issue('redis', ['127.0.0.1']),
    authority.issue('elsewhere', ['redis.elsewhere.invalid']),
  ]);
  managed = await startRedisServer([], undefined, { password: PASSWORD, tls: own });
  misnamed = await startRedisServer([], undefined, { password: PASSWORD, tls: other });
  db = await createTestDatabase('redis_tls');
  await seedProducts(db.url, [{ sku: SKU, priceCents: 500, stock: 100 }]);
}, 60_000);

afterAll(async () => {
  for (const server of servers) server.child.kill('SIGKILL');
  await Promise.all(servers.map((server) => server.exited));
  await Promise.all([managed, misnamed].map((redis) => redis?.kill()));
  await db?.drop();
  await rm(directory, { recursive: true, force: true });
});

describe('a standalone Redis behind TLS with a password', () => {
  it('serves orders over rediss:// once Node trusts its CA (NODE_EXTRA_CA_CERTS), repeats answered from Redis', async () => {
    expect(managed.url).toBe(`rediss://:${PASSWORD}@127.0.0.1:${managed.port}`);
    const env = testEnvironment(db.url, 'redis-tls', {
      REDIS_URL: managed.url,
      NODE_EXTRA_CA_CERTS: authority.caFile,
    });
    const server = await spawnServerProcess(env);
    servers.push(server);
    await expectRepeatAnsweredByRedis(server, env, SKU);
    expect(server.logs.filter((entry) => Number(entry['level']) >= 40)).toEqual([]);
  });

  it('refuses to start when Node does not trust the certificate, saying how to give it the CA', async () => {
    const run = await startRefused(db.url, { REDIS_URL: managed.url });
    expectRefusedStart(
      run,
      `REDIS_URL rediss://:***@127.0.0.1:${managed.port}`,
      /^TLS refused the server's certificate \("self-signed certificate in certificate chain", SELF_SIGNED_CERT_IN_CHAIN\): .*NODE_EXTRA_CA_CERTS=/,
      PASSWORD,
    );
  });

  it('refuses to start when the certificate names another host', async () => {
    const run = await startRefused(db.url, { REDIS_URL: misnamed.url, NODE_EXTRA_CA_CERTS: authority.caFile });
    expectRefusedStart(
      run,
      `REDIS_URL rediss://:***@127.0.0.1:${misnamed.port}`,
      /ERR_TLS_CERT_ALTNAME_INVALID\): the certificate is not for the host connected to: name the host as the certificate does$/,
      PASSWORD,
    );
  });

  it('refuses to start on redis:// (plain text), telling it to use rediss://, instead of waiting it out as an outage', async () => {
    const plainUrl = managed.url.replace(/^rediss:/, 'redis:');
    const run = await startRefused(db.url, { REDIS_URL: plainUrl, NODE_EXTRA_CA_CERTS: authority.caFile });
    expectRefusedStart(
      run,
      `REDIS_URL redis://:***@127.0.0.1:${managed.port}`,
      /^redis:\/\/ is plain text, and the server there speaks TLS only \(.*\): use rediss:\/\/$/,
      PASSWORD,
    );
  });
});

describe("a refused certificate with the server's alert right behind it", () => {
  it('is reported as the refusal on every reconnect, the second TLS error of each socket heard', async () => {
    // Node reads the alert after it destroyed the socket for the certificate, and emits it as a
    // second 'error', which ioredis no longer listens for: unheard, it ended the process (a TLS
    // Cluster's "tlsv1 alert decode error" in CI). Jest fails a test on such an error.
    const proxy = await startAlertBehindHandshakeProxy({ host: '127.0.0.1', port: managed.port });
    const url = `rediss://:${PASSWORD}@127.0.0.1:${proxy.port}`;
    const connection = createRedisConnection({ url, commandTimeoutMs: 1_000 }, createLogger('silent'));
    try {
      expect(await redisReadiness(connection, 5_000)).toEqual(
        expect.objectContaining({ kind: 'certificate-untrusted' }),
      );
      await waitUntil('three connections given the alert', () => Promise.resolve(proxy.alerted() >= 3));
      expect(await redisReadiness(connection, 0)).toEqual(expect.objectContaining({ kind: 'certificate-untrusted' }));
    } finally {
      connection.disconnect();
      await proxy.close();
      // ioredis ends a closed socket with a timer to destroy it (disconnectTimeout, 2 s) that only
      // its 'close', long past, would clear: let it run out here rather than hold Jest's exit.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
    }
  });
});
