import { Client } from 'pg';
import { Redis } from 'ioredis';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { customerTokens, startInstances } from '../support/instances';
import type { Instances } from '../support/instances';
import { expectOneWholeOrderPerIntent } from '../support/order-audit';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { testEnvironment } from '../support/server';
import { makeIntents, runStorm } from '../support/storm';
import type { Intent } from '../support/storm';
import { waitUntil } from '../support/wait';
import { claimKey } from '../../src/stores/store-keys';

const INTENTS = 5;
const CLIENTS_PER_INTENT = 40;
const LEASE_MS = 3_000;

let db: TestDatabase;
let redis: RedisServer;
let env: Record<string, string>;
let instances: Instances;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase('instances'), startRedisServer()]);
  env = testEnvironment(db.url, 'instances', { REDIS_URL: redis.url, IDEMPOTENCY_LEASE_MS: String(LEASE_MS) });
  instances = await startInstances(3, env);
}, 60_000);

afterAll(async () => {
  await instances?.stop();
  await Promise.all([redis?.kill(), db?.drop()]);
});

/** Fresh SKUs and intents for one storm: each order takes 1 of `<label>-A` and 2 of `<label>-B`. */
async function prepareStorm(label: string): Promise<{ intents: Intent[]; stock: Record<string, number> }> {
  const stock = { [`${label}-A`]: 1_000, [`${label}-B`]: 1_000 };
  await seedProducts(
    db.url,
    Object.entries(stock).map(([sku, units]) => ({ sku, priceCents: 250, stock: units })),
  );
  const intents = await makeIntents(
    INTENTS,
    [
      { sku: `${label}-A`, quantity: 1 },
      { sku: `${label}-B`, quantity: 2 },
    ],
    customerTokens(env),
  );
  return { intents, stock };
}

describe('three server processes sharing one PostgreSQL and one Redis, no balancer', () => {
  it(`turn a storm of ${INTENTS} intents × ${CLIENTS_PER_INTENT} identical requests into exactly ${INTENTS} orders`, async () => {
    const { intents, stock } = await prepareStorm('MULTI');
    const report = await runStorm('standalone redis, 3 instances', {
      targets: instances.urls,
      intents,
      clientsPerIntent: CLIENTS_PER_INTENT,
    });
    console.log(report.summary);
    await expectOneWholeOrderPerIntent(db, report.answers, stock);
    expect(report.outcomes['OrderCreated']).toBe(INTENTS);
  });

  it('keep one order per intent when the whole Redis is killed and restarted mid-storm', async () => {
    const { intents, stock } = await prepareStorm('REDISDOWN');
    const fallbacksBefore = await instances.claimStoreFallbacks();
    const killed = redis;
    let outage: Promise<void> | undefined;
    const report = await runStorm('redis killed and restarted mid-storm', {
      targets: instances.urls,
      intents,
      clientsPerIntent: CLIENTS_PER_INTENT,
      spreadMs: 3_000,
      onAnswer: (answered) => {
        if (answered !== 20) return;
        outage = (async () => {
          await redis.kill();
          await new Promise((resolve) => setTimeout(resolve, 500));
          redis = await startRedisServer([], redis.port);
        })();
      },
    });
    await outage;
    const fallbacks = (await instances.claimStoreFallbacks()) - fallbacksBefore;
    console.log(`${report.summary}; claims that fell back while Redis was down ${fallbacks}`);
    // The fault happened: another Redis process serves the port now, and claims failed meanwhile.
    expect(outage).toBeDefined();
    expect(killed.process.exitCode !== null || killed.process.signalCode !== null).toBe(true);
    expect(redis.process.pid).not.toBe(killed.process.pid);
    expect(fallbacks).toBeGreaterThan(0);
    await expectOneWholeOrderPerIntent(db, report.answers, stock);
    // The restarted Redis is empty; the instances reconnect and warm it from the database.
    await waitUntil(
      'the instances to reconnect and answer every repeat from the cache',
      async () =>
        (await runStorm('after restart', { targets: instances.urls, intents, clientsPerIntent: 3 })).outcomes[
          'DuplicateDetected/CACHE'
        ] ===
        INTENTS * 3,
      15_000,
      200,
    );
  });

  it('keep one whole order per intent when PostgreSQL connections are terminated mid-transaction', async () => {
    const { intents, stock } = await prepareStorm('PGKILL');
    // A held product row keeps the claimers' transactions open (order row written, stock not yet)
    // so that the terminations land mid-transaction, not between them.
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM "Product" WHERE "sku" = $1 FOR UPDATE`, ['PGKILL-A']);
    const blockerPid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const terminate = async () => {
      const { rows } = await blocker.query<{ state: string }>(
        `SELECT state, pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [db.name],
      );
      return rows.filter((row) => row.state !== 'idle').length;
    };
    const storm = runStorm('postgres sessions terminated mid-transaction', {
      targets: instances.urls,
      intents,
      clientsPerIntent: CLIENTS_PER_INTENT,
      spreadMs: 2_000,
    });
    let midTransaction = 0;
    try {
      for (let round = 0; round < 3; round++) {
        await waitUntil('transactions waiting on the held product', async () => {
          const waiting = await db.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> $2`,
            [db.name, blockerPid],
          );
          return waiting.length > 0;
        });
        midTransaction += await terminate();
      }
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const report = await storm;
    console.log(`${report.summary}; sessions terminated while busy ${midTransaction}`);
    expect(midTransaction).toBeGreaterThanOrEqual(3);
    expect(Object.values(report.failedAttempts).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    await expectOneWholeOrderPerIntent(db, report.answers, stock);
  });

  it('keep one order per intent when an instance is SIGKILLed between claim and commit and its clients retry on another', async () => {
    const { intents, stock } = await prepareStorm('SIGKILL');
    const [victim] = instances.processes;
    const claimKeys = intents.map((intent) => claimKey(env['REDIS_KEY_PREFIX'], intent.customerId, intent.key));
    const probe = new Redis(redis.url);
    // Hold a product row: the victim's transactions stop midway (order row in, stock not yet
    // reserved, nothing committed) while their claims sit in Redis.
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM "Product" WHERE "sku" = $1 FOR UPDATE`, [`SIGKILL-A`]);
    let doomed, crowd;
    try {
      const victimAlive = () => victim.child.exitCode === null && victim.child.signalCode === null;
      // Every intent's first request goes to the victim; once it is dead, retries go to the others.
      doomed = runStorm('requests caught in the killed instance', {
        targets: () => (victimAlive() ? [victim.url] : instances.urls()),
        intents,
        clientsPerIntent: 1,
      });
      await waitUntil('every intent claimed by the victim', async () =>
        (await probe.mget(...claimKeys)).every((value) => value?.includes('"pending"')),
      );
      await waitUntil('the victim transactions to block on the product lock', async () => {
        const waiting = await db.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
          [db.name],
        );
        return waiting.length >= INTENTS;
      });
      crowd = runStorm('storm around the killed instance', {
        targets: instances.urls,
        intents,
        clientsPerIntent: CLIENTS_PER_INTENT,
        spreadMs: 2_000,
      });
      await instances.crash(0);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
      probe.disconnect();
    }
    const reports = [await doomed, await crowd];
    for (const report of reports) console.log(report.summary);
    // Each intent's first request died with the victim and was answered by another instance.
    expect(reports[0].failedAttempts['ECONNRESET']).toBeGreaterThanOrEqual(1);
    expect(Object.values(reports[0].failedAttempts).reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(
      INTENTS,
    );
    await expectOneWholeOrderPerIntent(
      db,
      reports.flatMap((report) => report.answers),
      stock,
    );
  });
});
