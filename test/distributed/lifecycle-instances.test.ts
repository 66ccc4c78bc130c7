import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startInstances } from '../support/instances';
import type { Instances } from '../support/instances';
import { newKey } from '../support/order-client';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { testEnvironment } from '../support/server';
import type { ServerAccess } from '../support/server';
import { waitUntil } from '../support/wait';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { prepareLifecycleStorm } from '../orders/lifecycle/lifecycle-storm';
import { adjustInventory, seedProduct, stockOf, untilAnswered } from '../orders/lifecycle/lifecycle-client';

const LEASE_MS = 3_000;
const LIFECYCLE_OPERATIONS = ['cancelOrder', 'refundOrder', 'changeShippingAddress', 'adjustInventory'];

let db: TestDatabase;
let redis: RedisServer;
let instances: Instances;
let secret: string;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase('lifecycle_instances'), startRedisServer()]);
  const env = testEnvironment(db.url, 'lifecycle-instances', {
    REDIS_URL: redis.url,
    IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
  });
  secret = loadConfig(env).jwtSecret;
  instances = await startInstances(3, env);
}, 60_000);

afterAll(async () => {
  await instances?.stop();
  await Promise.all([redis?.kill(), db?.drop()]);
});

/** The instances as one server whose every request (a client's retries too) goes to the next instance. */
function roundRobin(): ServerAccess {
  let turn = 0;
  return {
    get url() {
      const urls = instances.urls();
      return urls[turn++ % urls.length];
    },
    tokenFor: (customerId, role = 'customer') => signViewerToken({ customerId, role }, secret),
  };
}

async function auditedRepeats(): Promise<number> {
  const [row] = await db.query<{ repeats: number }>(
    `SELECT count(*)::int AS repeats FROM "IdempotencyAuditEvent" WHERE "outcome" = 'duplicate' AND "operation" = ANY($1)`,
    [LIFECYCLE_OPERATIONS],
  );
  return row.repeats;
}

describe('the lifecycle mutations on three server processes sharing one PostgreSQL and one Redis', () => {
  it('apply each cancel, refund, address change and stock adjustment once when Redis is killed and restarted mid-storm, and audit each repeat once', async () => {
    const storm = await prepareLifecycleStorm(roundRobin(), db);
    const repeatsBefore = await auditedRepeats();
    const fallbacksBefore = await instances.claimStoreFallbacks();
    const killed = redis;
    let outage: Promise<void> | undefined;
    const answers = await storm.run((answered) => {
      if (answered !== 30) return;
      outage = (async () => {
        await redis.kill();
        await new Promise((resolve) => setTimeout(resolve, 500));
        redis = await startRedisServer([], redis.port);
      })();
    });
    await outage;
    // The fault happened: another Redis process serves the port, and claims fell back meanwhile.
    expect(redis.process.pid).not.toBe(killed.process.pid);
    expect((await instances.claimStoreFallbacks()) - fallbacksBefore).toBeGreaterThan(0);
    await storm.expectOneEffectPerIntent();
    // Every repeat answered (from the CACHE or the DATABASE) is in the audit log once (batched).
    const repeats = answers.filter((answer) => answer.detectedBy).length;
    expect(repeats).toBeGreaterThan(0);
    await waitUntil('the repeats to be audited', async () => (await auditedRepeats()) - repeatsBefore >= repeats);
    expect((await auditedRepeats()) - repeatsBefore).toBe(repeats);
    const recordedTwice = await db.query(
      `SELECT "operation", "customerId", "idempotencyKey" FROM "IdempotencyAuditEvent"
        WHERE "outcome" = 'created' AND "operation" = ANY($1) GROUP BY 1, 2, 3 HAVING count(*) > 1`,
      [LIFECYCLE_OPERATIONS],
    );
    expect(recordedTwice).toEqual([]);
  });

  it('add a retried +10 once when the instance it was in flight on is SIGKILLed and another takes the key', async () => {
    const sku = 'KILLED-ADJUST';
    await seedProduct(db, sku, 5);
    const admin = await signViewerToken({ customerId: 'ops', role: 'admin' }, secret);
    const key = newKey('restock');
    const adjustment = { sku, delta: 10, key, reason: 'restock' };
    // A held product row keeps the adjustment inside its transaction, claim taken, when its instance dies.
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM "Product" WHERE "sku" = $1 FOR UPDATE`, [sku]);
    const victim = instances.processes[0];
    const inFlight = adjustInventory(victim.url, admin, adjustment).catch((error: Error) => error);
    await waitUntil('the adjustment to wait on the held row', async () => {
      const waiting = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [
        db.name,
      ]);
      return waiting.length > 0;
    });
    await instances.crash(0);
    await blocker.query('ROLLBACK');
    await blocker.end();
    // No answer came: the connection died with the instance (an Error, from another realm than Jest's).
    expect(Object.prototype.toString.call(await inFlight)).toBe('[object Error]');
    expect(victim.child.signalCode).toBe('SIGKILL');

    const [survivor, other] = instances.urls();
    const retried = await untilAnswered(() => adjustInventory(survivor, admin, adjustment));
    const again = await untilAnswered(() => adjustInventory(other, admin, adjustment));
    expect(retried).toMatchObject({ __typename: 'InventoryAdjusted', stockAfter: 15 });
    expect(again).toMatchObject({ __typename: 'InventoryAdjusted', stockAfter: 15 });
    expect(again.detectedBy).toBeTruthy();
    expect(await stockOf(db, sku)).toBe(15);
    const applied = await db.query(`SELECT 1 FROM "AppliedChange" WHERE "idempotencyKey" = $1`, [key]);
    expect(applied).toHaveLength(1);
  });
});
