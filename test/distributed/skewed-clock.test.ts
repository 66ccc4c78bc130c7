import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startInstances } from '../support/instances';
import type { Instances } from '../support/instances';
import { newKey } from '../support/order-client';
import { startRedisServer } from '../support/redis-server';
import type { RedisServer } from '../support/redis-server';
import { spawnServerProcess, testEnvironment } from '../support/server';
import type { ServerAccess, ServerProcess } from '../support/server';
import { waitUntil } from '../support/wait';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { seedProduct } from '../orders/lifecycle/lifecycle-client';
import { issueToken, orderWithToken, ordersWithToken } from '../order-tokens/token-client';
import type { OrderResult } from '../order-tokens/token-client';

const SKEW_MS = 60_000;
const RETRY_AFTER_MS = 500;

let db: TestDatabase;
let redis: RedisServer;
let instance: Instances;
let ahead: ServerProcess;
let secret: string;

beforeAll(async () => {
  [db, redis] = await Promise.all([createTestDatabase('skewed_clock'), startRedisServer()]);
  const env = testEnvironment(db.url, 'skewed-clock', {
    REDIS_URL: redis.url,
    IDEMPOTENCY_RETRY_AFTER_MS: String(RETRY_AFTER_MS),
  });
  secret = loadConfig(env).jwtSecret;
  const skewed = {
    ...env,
    NODE_OPTIONS: `--require ${path.join(__dirname, '../support/skewed-clock.js')}`,
    CLOCK_SKEW_MS: String(SKEW_MS),
  };
  [instance, ahead] = await Promise.all([startInstances(1, env), spawnServerProcess(skewed)]);
}, 60_000);

afterAll(async () => {
  ahead?.child.kill('SIGTERM');
  await Promise.all([instance?.stop(), ahead?.exited]);
  await Promise.all([redis?.kill(), db?.drop()]);
});

const at = (url: string): ServerAccess => ({
  url,
  tokenFor: (customerId, role = 'customer') => signViewerToken({ customerId, role }, secret),
});

/** Holds a product's row, so that an order of it stays in its transaction (its key claimed, its token held). */
async function holdingProduct<T>(sku: string, work: () => Promise<T>): Promise<T> {
  const blocker = new Client({ connectionString: db.url });
  await blocker.connect();
  try {
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM "Product" WHERE "sku" = $1 FOR UPDATE`, [sku]);
    return await work();
  } finally {
    await blocker.query('ROLLBACK');
    await blocker.end();
  }
}

async function untilWaitingOnLock(): Promise<void> {
  await waitUntil('an order to wait on the held product', async () => {
    const rows = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`, [
      db.name,
    ]);
    return rows.length > 0;
  });
}

describe('an instance whose clock runs 60 s ahead of the others', () => {
  it('proves its clock is off: the order tokens it issues expire 60 s later', async () => {
    const bearer = await signViewerToken({ customerId: 'clock-check', role: 'customer' }, secret);
    const [onTime, onAhead] = await Promise.all([
      issueToken(at(instance.urls()[0]), bearer),
      issueToken(at(ahead.url), bearer),
    ]);
    const gapMs = new Date(onAhead.expiresAt).getTime() - new Date(onTime.expiresAt).getTime();
    expect(gapMs).toBeGreaterThan(SKEW_MS - 5_000);
  });

  it('answers RequestInProgress with the configured hint for a key another instance is placing', async () => {
    const sku = 'SKEW-KEY';
    await seedProduct(db, sku, 10);
    const bearer = await signViewerToken({ customerId: 'skew-key', role: 'customer' }, secret);
    const key = newKey('skew');
    const input = { currency: 'EUR', items: [{ sku, quantity: 1 }] };
    const [first, meanwhile] = await holdingProduct(sku, async () => {
      const placing = orderWithToken(at(instance.urls()[0]), bearer, key, input);
      await untilWaitingOnLock();
      return [placing, await orderWithToken(at(ahead.url), bearer, key, input)] as const;
    });
    // Before: 1 ms (the other instance's claim looked 60 s past its lease), a tight retry loop.
    expect(meanwhile).toMatchObject({ __typename: 'RequestInProgress', retryAfterMs: RETRY_AFTER_MS });
    expect((await first).__typename).toBe('OrderCreated');
  });

  it("leaves another instance's fresh hold on an order token alone: RequestInProgress at once", async () => {
    const sku = 'SKEW-TOKEN';
    await seedProduct(db, sku, 10);
    const bearer = await signViewerToken({ customerId: 'skew-token', role: 'customer' }, secret);
    const { token } = await issueToken(at(instance.urls()[0]), bearer);
    const input = { currency: 'EUR', items: [{ sku, quantity: 1 }], orderToken: token };
    const [first, second] = await holdingProduct(sku, async () => {
      const placing = orderWithToken(at(instance.urls()[0]), bearer, newKey('skew'), input);
      await untilWaitingOnLock();
      // Before, the hold looked 60 s old and was taken over: this request waited behind the first
      // one's row lock and ended as DuplicateDetected TOKEN instead of answering while it ran.
      let timer: NodeJS.Timeout | undefined;
      const answer = await Promise.race([
        orderWithToken(at(ahead.url), bearer, newKey('skew'), input),
        new Promise<OrderResult>((resolve) => {
          timer = setTimeout(() => resolve({ __typename: 'no answer while the first one runs' }), 5_000);
        }),
      ]);
      clearTimeout(timer);
      return [placing, answer] as const;
    });
    expect(second).toMatchObject({ __typename: 'RequestInProgress' });
    expect((await first).__typename).toBe('OrderCreated');
    expect(await ordersWithToken(db, token)).toHaveLength(1);
  });
});
