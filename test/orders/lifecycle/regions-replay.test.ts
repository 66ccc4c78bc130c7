import { mergeDuplicates } from '../../../src/order-index/duplicate-merge';
import { claimKey } from '../../../src/stores/store-keys';
import { createTestDatabase } from '../../support/database';
import type { TestDatabase } from '../../support/database';
import { createOrder, newKey, orderIdOf, outcomeOf } from '../../support/order-client';
import type { CreateOrderAnswer } from '../../support/order-client';
import { startRedisServer } from '../../support/redis-server';
import type { RedisServer } from '../../support/redis-server';
import { startTestServer } from '../../support/server';
import type { TestServer } from '../../support/server';
import { waitUntil } from '../../support/wait';
import { cancelOrder, seedProduct } from './lifecycle-client';

/**
 * Two regions in one process: each server on its own redis-server (its region's Redis), both on
 * one database. An order changed in one region must not be answered as it was by a createOrder
 * repeat in the other: the database tells every instance of the change (LISTEN/NOTIFY), and each
 * forgets the replay in its own region's Redis.
 */

// OFF: the orders share a cart; the possible-duplicate hold is not under test here.
const SERVER_ENV = { SEMANTIC_DUPLICATE_POLICY: 'OFF' };
const SKU = 'REGIONS-A';

let db: TestDatabase;
const redis: RedisServer[] = [];
let eu: TestServer;
let us: TestServer;

beforeAll(async () => {
  db = await createTestDatabase('regions_replay');
  redis.push(await startRedisServer(), await startRedisServer());
  eu = await startTestServer(db.url, 'region-eu', { ...SERVER_ENV, REDIS_URL: redis[0].url });
  us = await startTestServer(db.url, 'region-us', { ...SERVER_ENV, REDIS_URL: redis[1].url });
  await seedProduct(db, SKU, 1_000);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([eu?.stop(), us?.stop()]);
  await Promise.allSettled(redis.map((server) => server.kill()));
  await db?.drop();
});

const INPUT = { currency: 'EUR', items: [{ sku: SKU, quantity: 1 }] };

/** A repeat's outcome and the status of the order it shows. */
function seen(answer: CreateOrderAnswer): string {
  const order = answer.__typename === 'DuplicateDetected' ? answer.originalOrder : null;
  return `${outcomeOf(answer)} ${order?.status ?? '-'}`;
}

/** One instance's counter, summed over its series whose labels include `labels` (its /metrics). */
async function metric(server: TestServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** A change of the order, made in `here`, that leaves it CANCELLED. */
type Change = (here: TestServer, customerId: string, orderId: string) => Promise<void>;

const cancel: Change = async (here, customerId, orderId) => {
  const token = await here.tokenFor(customerId);
  const cancelled = await cancelOrder(here.url, token, { orderId, key: newKey('cancel'), reason: 'moved' });
  expect(cancelled).toMatchObject({ __typename: 'OrderCancelled', order: { id: orderId, status: 'CANCELLED' } });
};

/** Creates in `here`, cancels there; resolves with the order id. */
async function createAndCancel(here: TestServer, customerId: string, key: string): Promise<string> {
  const orderId = orderIdOf(await createOrder(here, { customerId }, key, INPUT))!;
  await cancel(here, customerId, orderId);
  return orderId;
}

/**
 * `npm run dedupe -- merge` run in `here`'s region: the order merged into the customer's earliest
 * order (same cart), which the test placed before it.
 */
const merge: Change = async (here, customerId, orderId) => {
  const [earliest] = await db.query<{ id: string }>(
    'SELECT "id" FROM "Order" WHERE "customerId" = $1 ORDER BY "createdAt" LIMIT 1',
    [customerId],
  );
  const ref = (id: string) => ({ orderId: id, channel: 'WEB', externalId: null });
  const group = { survivor: ref(earliest.id), duplicates: [ref(orderId)], similarity: 1, reasons: ['same cart'] };
  const summary = await mergeDuplicates(here.app.prisma, [group], true, (orders) =>
    here.app.services.replays.forget(orders),
  );
  expect(summary).toMatchObject({ cancelled: 1, refusals: [] });
};

/** The order's key learnt in `there` (DATABASE, then CACHE), then changed in `here`: `there`'s repeats show CANCELLED. */
async function cancelledElsewhere(
  here: TestServer,
  there: TestServer,
  customerId: string,
  change: Change = cancel,
): Promise<number> {
  const key = newKey('regions');
  const created = await createOrder(here, { customerId }, key, INPUT);
  expect(created.__typename).toBe('OrderCreated');
  const orderId = orderIdOf(created)!;
  expect(seen(await createOrder(there, { customerId }, key, INPUT))).toBe('DuplicateDetected/DATABASE CONFIRMED');
  expect(seen(await createOrder(there, { customerId }, key, INPUT))).toBe('DuplicateDetected/CACHE CONFIRMED');
  // Sent again as it was answered: the response replay caches of `there` hold these bytes now.
  expect(seen(await createOrder(there, { customerId }, key, INPUT))).toBe('DuplicateDetected/CACHE CONFIRMED');
  await change(here, customerId, orderId);
  const committedAt = performance.now();
  const answers: string[] = [];
  await waitUntil(
    `a repeat in the other region to show order ${orderId} CANCELLED`,
    async () => {
      answers.push(seen(await createOrder(there, { customerId }, key, INPUT)));
      return answers.at(-1)!.endsWith(' CANCELLED');
    },
    10_000,
    5,
  );
  const tookMs = performance.now() - committedAt;
  // Every repeat is still the one order (no second one), and the next ones answer from the CACHE again.
  expect(answers.at(-1)).toBe('DuplicateDetected/CACHE CANCELLED');
  expect(seen(await createOrder(there, { customerId }, key, INPUT))).toBe('DuplicateDetected/CACHE CANCELLED');
  const [{ count }] = await db.query<{ count: string }>(
    'SELECT count(*) FROM "Order" WHERE "customerId" = $1 AND "idempotencyKey" = $2',
    [customerId, key],
  );
  expect(count).toBe('1');
  console.log(
    `CANCELLED seen in the other region ${tookMs.toFixed(1)} ms after the commit; repeats: ${answers.join(', ')}`,
  );
  return tookMs;
}

describe('an order changed in one region, repeated in another (one database, a Redis per region)', () => {
  it('is shown as it is now by the other region’s next repeats, once the database has told it', async () => {
    const took: number[] = [];
    for (let run = 0; run < 5; run++) took.push(await cancelledElsewhere(eu, us, `rosa-${run}`));
    took.push(await cancelledElsewhere(us, eu, 'rosa-back'));
    console.log(
      `ms to CANCELLED in the other region over ${took.length} runs: ${took.map((ms) => ms.toFixed(1)).join(', ')}`,
    );
  });

  it('is shown merged by the other region’s next repeats after a dedupe merge', async () => {
    expect(orderIdOf(await createOrder(eu, { customerId: 'mona' }, newKey('survivor'), INPUT))).toBeDefined();
    await cancelledElsewhere(eu, us, 'mona', merge);
  });

  it('leaves no claim in a region that never learnt the key', async () => {
    const key = newKey('unknown');
    const absentBefore = await metric(us, 'order_gate_order_change_notices_total', 'outcome="absent"');
    await createAndCancel(eu, 'uma', key);
    await waitUntil('the us instance to hear of the change', async () => {
      return (await metric(us, 'order_gate_order_change_notices_total', 'outcome="absent"')) > absentBefore;
    });
    const { Redis } = await import('ioredis');
    const connection = new Redis(redis[1].url);
    try {
      expect(await connection.get(claimKey(us.config.redisKeyPrefix, 'uma', key))).toBeNull();
      expect(await connection.keys(`${us.config.redisKeyPrefix}*uma*`)).toEqual([]);
    } finally {
      connection.disconnect();
    }
  });

  it('listens again after its LISTEN connection is lost, and hears the next change', async () => {
    const listeners = () =>
      db.query<{ pid: number }>(
        `SELECT "pid" FROM pg_stat_activity WHERE "datname" = current_database() AND "application_name" = 'order-gate-order-changes'`,
      );
    const before = (await listeners()).map((row) => row.pid);
    expect(before).toHaveLength(2); // one per server
    const killed = await db.query<{ killed: boolean }>(
      'SELECT pg_terminate_backend("pid") AS "killed" FROM unnest($1::int[]) AS "pid"',
      [before],
    );
    expect(killed.map((row) => row.killed)).toEqual([true, true]);
    await waitUntil('both listeners to be back on new connections', async () => {
      const now = (await listeners()).map((row) => row.pid);
      return now.length === 2 && now.every((pid) => !before.includes(pid));
    });
    expect(await metric(us, 'order_gate_order_change_listens_total')).toBeGreaterThanOrEqual(2);
    await cancelledElsewhere(eu, us, 'rhea');
  });

  // Last: it kills the us region's Redis.
  it('counts a change it could not forget while its region’s Redis is down (the order is still one)', async () => {
    const failedBefore = await metric(us, 'order_gate_order_change_notices_total', 'outcome="failed"');
    await redis[1].kill();
    const key = newKey('redis-down');
    const orderId = await createAndCancel(eu, 'ruth', key);
    await waitUntil('the us instance to count the change it could not forget', async () => {
      return (await metric(us, 'order_gate_order_change_notices_total', 'outcome="failed"')) > failedBefore;
    });
    // Without its Redis the us region answers from the database: the order as it is now.
    const repeat = await createOrder(us, { customerId: 'ruth' }, key, INPUT);
    expect(seen(repeat)).toBe('DuplicateDetected/DATABASE CANCELLED');
    expect(repeat.__typename === 'DuplicateDetected' && repeat.originalOrder?.id).toBe(orderId);
  });
});
