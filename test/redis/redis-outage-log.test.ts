import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { request } from '../support/http';
import { freePort } from '../support/redis-server';
import { spawnServerProcess, testEnvironment } from '../support/server';
import type { ServerProcess } from '../support/server';

/** pino's warning level. */
const WARN = 40;

describe('a server whose Redis cannot be reached (nothing listens on its port)', () => {
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  let port: number;
  beforeAll(async () => {
    db = await createTestDatabase('redis_outage_log');
    port = await freePort();
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await db?.drop();
  });

  it('logs one line a second for the refused connect, with no stack, and counts every failed attempt', async () => {
    // Claims, rate limit, and client tracking's reader and subscriber: four connections, one cause.
    const env = testEnvironment(db.url, 'redis-outage-log', {
      REDIS_URL: `redis://127.0.0.1:${port}`,
      REDIS_CLIENT_TRACKING: 'true',
    });
    server = await spawnServerProcess(env);
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    const cause = `connect ECONNREFUSED 127.0.0.1:${port}`;
    const warnings = server.logs.filter((entry) => entry['level'] === WARN);
    const aboutTheOutage = warnings.filter((entry) => JSON.stringify(entry).includes('ECONNREFUSED'));
    expect(aboutTheOutage.length).toBeGreaterThanOrEqual(2);
    for (const entry of aboutTheOutage) {
      const { level, msg, redis, cause: given } = entry;
      expect({ level, msg, redis, cause: given }).toEqual({
        level: WARN,
        msg: 'redis unreachable: serving on the database path',
        redis: `REDIS_URL redis://127.0.0.1:${port}`,
        cause,
      });
      expect(entry).not.toHaveProperty('err');
    }
    // One line per second at most, for all four connections together.
    const times = aboutTheOutage.map((entry) => Date.parse(String(entry['time'])));
    const gaps = times.slice(1).map((time, index) => time - times[index]);
    expect(gaps.filter((gap) => gap < 1_000)).toEqual([]);
    // Nor does any other warning of the outage carry a stack: ioredis's "Stream isn't writeable" is one.
    expect(warnings.filter((entry) => JSON.stringify(entry).includes('\\n    at '))).toEqual([]);

    // Every failed attempt is counted, those the log stands for included.
    const metrics = (await request(server.url, '/metrics')).text;
    const counted = /^order_gate_redis_connection_errors_total\{cause="ECONNREFUSED"\} (\d+)$/m.exec(metrics);
    expect(Number(counted?.[1])).toBeGreaterThan(aboutTheOutage.length);
  }, 90_000);
});
