import { Redis } from 'ioredis';
import { createLogger } from '../../../src/observability/logger';
import { Metrics } from '../../../src/observability/metrics';
import { OrderChangesCatchUp } from '../../../src/orders/order-changes-catch-up';
import { OrderChangesListener } from '../../../src/orders/order-changes-listener';
import { RedisHeardWatermarkStore } from '../../../src/stores/heard-watermark-store';
import type { HeardWatermarkStore } from '../../../src/stores/heard-watermark-store';
import { startPostgresProxy, throughProxy } from '../../support/cuttable-tcp-proxy';
import type { CuttableTcpProxy } from '../../support/cuttable-tcp-proxy';
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
 * Two regions (a server on its own redis-server each, one database), the us region's listener down
 * while the eu region cancels an order us had answered from its cache: once us listens again (its
 * connection back, or a new server on the region's Redis), it catches up on what it did not hear,
 * and its next repeat does not show the order as it was.
 */

const SERVER_ENV = { SEMANTIC_DUPLICATE_POLICY: 'OFF' };
const SKU = 'CATCH-UP-A';
const INPUT = { currency: 'EUR', items: [{ sku: SKU, quantity: 1 }] };

let db: TestDatabase;
const redis: RedisServer[] = [];
let proxy: CuttableTcpProxy;
let eu: TestServer;
let us: TestServer;

beforeAll(async () => {
  db = await createTestDatabase('regions_catch_up');
  redis.push(await startRedisServer(), await startRedisServer());
  proxy = await startPostgresProxy();
  eu = await startTestServer(db.url, 'catch-up-eu', { ...SERVER_ENV, REDIS_URL: redis[0].url });
  // The us region's listener goes through a proxy the test can cut (its other connections do not).
  us = await startTestServer(db.url, 'catch-up-us', {
    ...SERVER_ENV,
    REDIS_URL: redis[1].url,
    DATABASE_LISTEN_URL: throughProxy(db.url, proxy),
  });
  await seedProduct(db, SKU, 1_000);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([eu?.stop(), us?.stop()]);
  await proxy?.close();
  await Promise.allSettled(redis.map((server) => server.kill()));
  await db?.drop();
});

function seen(answer: CreateOrderAnswer): string {
  const order = answer.__typename === 'DuplicateDetected' ? answer.originalOrder : null;
  return `${outcomeOf(answer)} ${order?.status ?? '-'}`;
}

/** How many order-changes listeners are connected to this database now. */
async function listenerCount(): Promise<number> {
  const [{ count }] = await db.query<{ count: number }>(
    `SELECT count(*)::int AS "count" FROM pg_stat_activity
     WHERE "datname" = current_database() AND "application_name" = 'order-gate-order-changes'`,
  );
  return count;
}

async function metric(server: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** An order created in eu and answered twice in `there` (DATABASE, then CACHE CONFIRMED). */
async function learntIn(there: TestServer, customerId: string): Promise<{ key: string; orderId: string }> {
  const key = newKey('catch-up');
  const orderId = orderIdOf(await createOrder(eu, { customerId }, key, INPUT))!;
  expect(seen(await createOrder(there, { customerId }, key, INPUT))).toBe('DuplicateDetected/DATABASE CONFIRMED');
  expect(seen(await createOrder(there, { customerId }, key, INPUT))).toBe('DuplicateDetected/CACHE CONFIRMED');
  return { key, orderId };
}

async function cancelInEu(customerId: string, orderId: string): Promise<void> {
  const token = await eu.tokenFor(customerId);
  const cancelled = await cancelOrder(eu.url, token, { orderId, key: newKey('cancel'), reason: 'moved' });
  expect(cancelled).toMatchObject({ __typename: 'OrderCancelled', order: { status: 'CANCELLED' } });
}

describe('a region whose listeners were down while an order changed elsewhere', () => {
  it('catches up once its LISTEN connection is back: its repeat no longer answers the old status from the cache', async () => {
    const { key, orderId } = await learntIn(us, 'cara');
    const listensBefore = await metric(us, 'order_gate_order_change_listens_total');
    proxy.cut();
    // The fault: us's listener is gone (only eu's is left) when the cancellation commits.
    await waitUntil('the us listener to be gone', async () => (await listenerCount()) === 1);
    expect(await metric(us, 'order_gate_order_change_listening')).toBe(0);
    await cancelInEu('cara', orderId);
    expect(await listenerCount()).toBe(1);
    proxy.restore();
    await waitUntil('the us listener to listen again', async () => {
      return (await metric(us, 'order_gate_order_change_listens_total')) > listensBefore;
    });
    await waitUntil('the us catch-up to have run', async () => {
      return (await metric(us, 'order_gate_order_change_catch_up_orders_total')) >= 1;
    });
    expect(seen(await createOrder(us, { customerId: 'cara' }, key, INPUT))).toMatch(/ CANCELLED$/);
    expect(seen(await createOrder(us, { customerId: 'cara' }, key, INPUT))).toBe('DuplicateDetected/CACHE CANCELLED');
  });

  it('catches up when the whole region starts again on the same Redis', async () => {
    const { key, orderId } = await learntIn(us, 'cleo');
    await us.app.stop();
    // The fault: no us listener at all when the cancellation commits.
    await waitUntil('the us listener to be gone', async () => (await listenerCount()) === 1);
    await cancelInEu('cleo', orderId);
    us = await startTestServer(db.url, 'catch-up-us', {
      ...SERVER_ENV,
      REDIS_URL: redis[1].url,
      REDIS_KEY_PREFIX: us.config.redisKeyPrefix,
      DATABASE_LISTEN_URL: throughProxy(db.url, proxy),
    });
    await waitUntil('the new us server to have caught up', async () => {
      return (await metric(us, 'order_gate_order_change_catch_up_orders_total')) >= 1;
    });
    expect(seen(await createOrder(us, { customerId: 'cleo' }, key, INPUT))).toMatch(/ CANCELLED$/);
  });

  it('reads nothing in a region that has no watermark yet (a first start, a flushed Redis): it only sets one', async () => {
    const fresh = await startRedisServer();
    redis.push(fresh);
    const other = await startTestServer(db.url, 'catch-up-fresh', { ...SERVER_ENV, REDIS_URL: fresh.url });
    const connection = new Redis(fresh.url);
    try {
      const watermark = new RedisHeardWatermarkStore(connection, other.config.redisKeyPrefix);
      await waitUntil('the fresh region to set its watermark', async () => (await watermark.read()) !== null);
      expect(await metric(other, 'order_gate_order_change_catch_up_reads_total')).toBe(0);
      expect(await metric(other, 'order_gate_order_change_catch_up_orders_total')).toBe(0);
    } finally {
      connection.disconnect();
      await other.stop();
    }
  });

  it('moves the watermark only while it hears: not while its connection is silent, past it once it listens again', async () => {
    const silent = await startPostgresProxy();
    const connection = new Redis(redis[1].url);
    const watermark = new RedisHeardWatermarkStore(connection, `${us.config.redisKeyPrefix}-own`);
    const metrics = new Metrics();
    const logger = createLogger('silent');
    const listener = new OrderChangesListener({
      databaseUrl: throughProxy(db.url, silent),
      replays: us.app.services.replays,
      storeCalls: { timeoutMs: 1_000 },
      metrics,
      logger,
      // A heartbeat every 100 ms; one unanswered for 2 s ends the connection.
      heartbeatMs: { interval: 100, timeout: 2_000 },
      retryMs: { first: 100, max: 100 },
      catchUp: new OrderChangesCatchUp({ watermark, retentionMs: 86_400_000, metrics, logger }),
    });
    const listens = async () => (await metrics.orderChangeListens.get()).values[0]?.value ?? 0;
    // A notice older than the retention (1 day here) and the margin: pruned by a heartbeat heard.
    const [{ id: oldNotice }] = await db.query<{ id: string }>(
      `INSERT INTO "OrderChangeNotice" ("orderId", "at") VALUES (gen_random_uuid(), now() - interval '2 days') RETURNING "id"`,
    );
    try {
      await listener.start();
      await waitUntil('a watermark', async () => (await watermark.read()) !== null);
      const first = (await watermark.read())!;
      await waitUntil('the heartbeats to move it', async () => (await watermark.read())! > first);
      await waitUntil('the old notice to be pruned', async () => {
        return (await db.query('SELECT 1 FROM "OrderChangeNotice" WHERE "id" = $1', [oldNotice])).length === 0;
      });
      silent.silence();
      const [{ atMs: silencedAt }] = await db.query<{ atMs: number }>(
        'SELECT floor(extract(epoch FROM now()) * 1000)::float8 AS "atMs"',
      );
      // The fault: for about 2 s the connection hears nothing (nor knows it), then it is replaced.
      // Each watermark read while the first connection is still the last one made (the count read
      // after it) must not be past the silence.
      const whileSilent: number[] = [];
      const silenceStarted = performance.now();
      const deadline = Date.now() + 10_000;
      for (;;) {
        const kept = (await watermark.read())!;
        if ((await listens()) > 1) break;
        whileSilent.push(kept);
        if (Date.now() > deadline) throw new Error('no new connection within 10 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const silentForMs = performance.now() - silenceStarted;
      expect(silent.counts.silenced).toBe(1);
      // The connection was replaced by its heartbeat's timeout (2 s), not sooner, and read all along
      // (a sample count would depend on the machine's load: 26 in 2 s under CI's, not 100).
      expect(silentForMs).toBeGreaterThanOrEqual(1_900);
      expect(whileSilent.length).toBeGreaterThan(1);
      expect(Math.max(...whileSilent)).toBeLessThanOrEqual(silencedAt);
      await waitUntil('the watermark past the silence', async () => (await watermark.read())! > silencedAt);
    } finally {
      await listener.close();
      await silent.close();
      connection.disconnect();
    }
  });

  it('moves no watermark on a connection whose catch-up failed, and tries the catch-up again at the next heartbeat heard', async () => {
    const connection = new Redis(redis[1].url);
    const store = new RedisHeardWatermarkStore(connection, `${us.config.redisKeyPrefix}-retry`);
    // The region's real watermark, whose reads fail while `broken` (as a Redis that times out would).
    let broken = true;
    const watermark: HeardWatermarkStore = {
      read: () => (broken ? Promise.reject(new Error('watermark unreachable')) : store.read()),
      advance: (atMs) => store.advance(atMs),
    };
    const [{ atMs: before }] = await db.query<{ atMs: number }>(
      'SELECT floor(extract(epoch FROM now()) * 1000)::float8 AS "atMs"',
    );
    await store.advance(before);
    const metrics = new Metrics();
    const logger = createLogger('silent');
    const listener = new OrderChangesListener({
      databaseUrl: db.url,
      replays: us.app.services.replays,
      storeCalls: { timeoutMs: 1_000 },
      metrics,
      logger,
      heartbeatMs: { interval: 100, timeout: 2_000 },
      catchUp: new OrderChangesCatchUp({ watermark, retentionMs: 86_400_000, metrics, logger }),
    });
    const reads = async () => (await metrics.orderChangeCatchUpReads.get()).values[0]?.value ?? 0;
    try {
      await listener.start();
      // About 10 heartbeats heard, none of them moving the watermark: the catch-up never ran.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await value(metrics.orderChangeListening)).toBe(1);
      expect(await reads()).toBe(0);
      expect(await store.read()).toBe(before);
      broken = false;
      await waitUntil('the catch-up to run at a heartbeat', async () => (await reads()) > 0);
      await waitUntil('the watermark to move', async () => (await store.read())! > before);
    } finally {
      await listener.close();
      connection.disconnect();
    }
  });
});

async function value(metric: { get(): Promise<{ values: { value: number }[] }> }): Promise<number> {
  return (await metric.get()).values.reduce((sum, { value }) => sum + value, 0);
}
