import pg from 'pg';
import { Redis } from 'ioredis';
import { createLogger } from '../../../src/observability/logger';
import { Metrics } from '../../../src/observability/metrics';
import { ORDER_CHANGES_CHANNEL, announceOrderChanges } from '../../../src/orders/order-changes';
import { OrderChangesCatchUp } from '../../../src/orders/order-changes-catch-up';
import { OrderChangesListener } from '../../../src/orders/order-changes-listener';
import type { ChangingOrder } from '../../../src/orders/order-replays';
import { RedisHeardWatermarkStore } from '../../../src/stores/heard-watermark-store';
import { createTestDatabase } from '../../support/database';
import { TEST_REDIS_URL } from '../../support/redis';
import type { TestDatabase } from '../../support/database';
import { createOrder, newKey, orderIdOf } from '../../support/order-client';
import { startTestServer } from '../../support/server';
import type { TestServer } from '../../support/server';
import { waitUntil } from '../../support/wait';
import { seedProduct } from './lifecycle-client';

/**
 * What holds a region's watermark: a replay not forgotten (a Redis shard failing over), a forget
 * still running, a change transaction not committed yet. One server makes the orders; each test
 * runs a listener of its own on that server's replays (wrapped to fail or wait on demand) and its
 * own watermark.
 */

const SKU = 'WATERMARK-A';
const INPUT = { currency: 'EUR', items: [{ sku: SKU, quantity: 1 }] };

let db: TestDatabase;
let server: TestServer;
let redis: Redis;

beforeAll(async () => {
  db = await createTestDatabase('regions_watermark');
  server = await startTestServer(db.url, 'watermark', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });
  redis = new Redis(TEST_REDIS_URL);
  await seedProduct(db, SKU, 1_000);
}, 60_000);

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
  await db?.drop();
});

/** The database's now(), ms. */
async function databaseNow(): Promise<number> {
  const [{ atMs }] = await db.query<{ atMs: number }>(
    'SELECT floor(extract(epoch FROM now()) * 1000)::float8 AS "atMs"',
  );
  return atMs;
}

/** A listener of its own region (watermark under `name`) whose forgets go through `forgetIfHeld`. */
function regionListener(name: string, forgetIfHeld: (order: ChangingOrder) => Promise<boolean>) {
  const watermark = new RedisHeardWatermarkStore(redis, `${server.config.redisKeyPrefix}-${name}`);
  const metrics = new Metrics();
  const logger = createLogger('silent');
  const listener = new OrderChangesListener({
    databaseUrl: db.url,
    replays: { forgetIfHeld },
    storeCalls: { timeoutMs: 1_000 },
    metrics,
    logger,
    heartbeatMs: { interval: 100, timeout: 2_000 },
    catchUp: new OrderChangesCatchUp({ watermark, retentionMs: 86_400_000, metrics, logger }),
  });
  const catchUpReads = async () => (await metrics.orderChangeCatchUpReads.get()).values[0]?.value ?? 0;
  const heardAge = metrics.registry.getSingleMetric(HEARD_AGE);
  /** The age gauge as a scrape reads it (NaN without one). */
  const heardAgeSeconds = async () => (heardAge ? (await heardAge.get()).values[0]?.value : undefined) ?? NaN;
  return { listener, watermark, catchUpReads, heardAge, heardAgeSeconds };
}

/** How long ago (s) this instance last moved its region's watermark to, on the database's clock. */
const HEARD_AGE = 'order_gate_order_change_heard_age_seconds';

/** The real forget, failing while `failing.now`. */
function failingForget(failing: { now: boolean }) {
  return (order: ChangingOrder) =>
    failing.now ? Promise.reject(new Error('shard failing over')) : server.app.services.replays.forgetIfHeld(order);
}

async function newOrderId(customerId: string): Promise<string> {
  return orderIdOf(await createOrder(server, { customerId }, newKey('watermark'), INPUT))!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a region’s heard watermark', () => {
  it('stays where it was when a catch-up could not forget a replay, and moves once a catch-up at a later heartbeat could', async () => {
    const orderId = await newOrderId('wanda');
    const failing = { now: true };
    const { listener, watermark, catchUpReads, heardAge, heardAgeSeconds } = regionListener(
      'catch-up-fails',
      failingForget(failing),
    );
    expect(heardAge).toBeDefined();
    const before = await databaseNow();
    await watermark.advance(before);
    // A change this region did not hear (its listener was down): only its notice.
    await db.query('INSERT INTO "OrderChangeNotice" ("orderId") VALUES ($1)', [orderId]);
    try {
      await listener.start();
      await waitUntil('the catch-up to be tried again', async () => (await catchUpReads()) >= 2);
      await sleep(500);
      expect(await watermark.read()).toBe(before);
      // Heartbeats every 100 ms: a watermark that moved would be younger than that.
      await waitUntil('the age to pass 1 s', async () => (await heardAgeSeconds()) > 1);
      failing.now = false;
      await waitUntil('the watermark to move', async () => (await watermark.read())! > before);
      await waitUntil('the age back under 0.5 s', async () => (await heardAgeSeconds()) < 0.5);
    } finally {
      await listener.close();
    }
  });

  it('stays where it was at heartbeats after a heard change’s replay could not be forgotten, until a catch-up forgot it', async () => {
    const orderId = await newOrderId('wilma');
    const failing = { now: false };
    const { listener, watermark, catchUpReads } = regionListener('heard-fails', failingForget(failing));
    try {
      await listener.start();
      await waitUntil('a watermark', async () => (await watermark.read()) !== null);
      const readsBefore = await catchUpReads();
      failing.now = true;
      // Announced as a change announces itself (its notice too, which the catch-up reads again):
      // a notification alone passed only on the notice an earlier test left.
      const announced = announceOrderChanges([orderId]);
      await db.query(announced.text, announced.values);
      await sleep(200);
      // Heartbeats heard after the failure: about 10.
      const held = (await watermark.read())!;
      await sleep(1_000);
      expect(await watermark.read()).toBe(held);
      expect(await catchUpReads()).toBeGreaterThan(readsBefore);
      failing.now = false;
      await waitUntil('the watermark to move', async () => (await watermark.read())! > held);
    } finally {
      await listener.close();
    }
  });

  it('does not move while a forget of a change heard before a heartbeat is still running', async () => {
    const orderId = await newOrderId('wendy');
    let release: () => void = () => undefined;
    const slow = { now: false, entered: false };
    const { listener, watermark } = regionListener('slow-forget', async (order) => {
      if (slow.now) {
        slow.entered = true;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return server.app.services.replays.forgetIfHeld(order);
    });
    try {
      await listener.start();
      await waitUntil('a watermark', async () => (await watermark.read()) !== null);
      slow.now = true;
      await db.query('SELECT pg_notify($1, $2)', [ORDER_CHANGES_CHANNEL, orderId]);
      await waitUntil('the forget to start', async () => slow.entered);
      const held = (await watermark.read())!;
      await sleep(1_000); // about 10 heartbeats heard meanwhile
      expect(await watermark.read()).toBe(held);
      slow.now = false;
      release();
      await waitUntil('the watermark to move', async () => (await watermark.read())! > held);
    } finally {
      release();
      await listener.close();
    }
  });

  it('does not pass the start of a change transaction not committed yet, and moves on once it commits', async () => {
    const orderId = await newOrderId('wren');
    const { listener, watermark } = regionListener('open-change', failingForget({ now: false }));
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    try {
      await listener.start();
      await waitUntil('a watermark', async () => (await watermark.read()) !== null);
      // BEGIN and the write in one message: a heartbeat between two round trips saw a transaction
      // without an xid yet, and moved the watermark past its start (by 3 ms; the margin covers it).
      const [, inserted] = (await writer.query(
        `BEGIN; INSERT INTO "OrderChangeNotice" ("orderId") VALUES ('${orderId}')
         RETURNING floor(extract(epoch FROM "at") * 1000)::float8 AS "startedAt"`,
      )) as unknown as [pg.QueryResult, pg.QueryResult<{ startedAt: number }>];
      const [{ startedAt }] = inserted.rows;
      await sleep(1_500); // heartbeats heard while it is open
      expect(await watermark.read()).toBeLessThanOrEqual(startedAt);
      await writer.query('COMMIT');
      await waitUntil('the watermark past it', async () => (await watermark.read())! > startedAt + 1_500);
    } finally {
      await writer.end();
      await listener.close();
    }
  });

  it('is as old as the start of a write transaction still open, and young again once it ends', async () => {
    const { listener, watermark, heardAge, heardAgeSeconds } = regionListener('age', failingForget({ now: false }));
    expect(heardAge).toBeDefined();
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    try {
      await listener.start();
      await waitUntil('a watermark', async () => (await watermark.read()) !== null);
      await waitUntil('an age under 0.5 s', async () => (await heardAgeSeconds()) < 0.5);
      // A transaction with an xid (a migration, a batch) holds DATABASE_HEARD_UP_TO_MS at its start.
      await writer.query('BEGIN; SELECT pg_current_xact_id()');
      const opened = await heardAgeSeconds();
      await waitUntil('the age to pass 1.5 s', async () => (await heardAgeSeconds()) > 1.5);
      expect(await heardAgeSeconds()).toBeGreaterThan(opened);
      await writer.query('COMMIT');
      await waitUntil('the age back under 0.5 s', async () => (await heardAgeSeconds()) < 0.5);
    } finally {
      await writer.end();
      await listener.close();
    }
  });
});
