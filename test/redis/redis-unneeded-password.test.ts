import { Redis } from 'ioredis';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { expectRepeatAnsweredByRedis } from '../support/redis-deployment';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { spawnServerProcess, testEnvironment } from '../support/server';
import type { ServerProcess } from '../support/server';
import { waitUntil } from '../support/wait';

const PASSWORD = 'a-password-redis-does-not-need';
const UNNEEDED = /^REDIS_URL carries a password, and Redis requires none/;

let db: TestDatabase;
let redis: RedisServer;
let server: ServerProcess | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
  db = await createTestDatabase('redis_unneeded_password');
  await seedProducts(db.url, [{ sku: 'OPEN-1', priceCents: 100, stock: 10 }]);
});

afterAll(async () => {
  server?.child.kill('SIGKILL');
  await server?.exited;
  await redis?.kill();
  await db?.drop();
});

describe('a password given to a Redis that requires none', () => {
  // ioredis printed "[WARN] This Redis server's `default` user does not require a password" on
  // stderr for every connection (four at start) and again on every reconnection.
  it('is said once, as a warning in the log, and never on the console, reconnections included', async () => {
    const env = testEnvironment(db.url, 'unneeded-password', {
      REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}`,
    });
    server = await spawnServerProcess(env);
    const warnings = () => server!.logs.filter((entry) => UNNEEDED.test(String(entry['msg'])));
    await waitUntil('the warning', async () => warnings().length > 0);
    expect(warnings()).toEqual([
      expect.objectContaining({ level: 40, redis: `REDIS_URL redis://:***@127.0.0.1:${redis.port}` }),
    ]);

    // Every connection of the server dropped: each reconnects and authenticates again.
    const admin = new Redis(redis.url);
    try {
      const others = async () =>
        ((await admin.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string).trim().split('\n').length - 1;
      const connections = await others();
      expect(connections).toBeGreaterThanOrEqual(2);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await waitUntil('every connection back', async () => (await others()) === connections);
    } finally {
      admin.disconnect();
    }
    // Redis serves it all the same: the repeat is answered from Redis.
    await expectRepeatAnsweredByRedis(server, env, 'OPEN-1');
    expect(warnings()).toHaveLength(1);
    expect(server.stderr()).toBe('');
    expect(JSON.stringify(server.logs)).not.toContain(PASSWORD);
  });
});
