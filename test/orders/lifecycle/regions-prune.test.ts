import { Redis } from 'ioredis';
import { createLogger } from '../../../src/observability/logger';
import { Metrics } from '../../../src/observability/metrics';
import { CATCH_UP_MARGIN_MS, OrderChangesCatchUp } from '../../../src/orders/order-changes-catch-up';
import { OrderChangesListener } from '../../../src/orders/order-changes-listener';
import { RedisHeardWatermarkStore } from '../../../src/stores/heard-watermark-store';
import { createTestDatabase } from '../../support/database';
import type { TestDatabase } from '../../support/database';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix } from '../../support/redis';
import { waitUntil } from '../../support/wait';

/**
 * The prune of the notices all regions share (OrderChangeNotice): each region's listener prunes at
 * its heartbeats, keeping the notices the region that keeps claims longest still needs. The notices
 * here are of no order (nothing to forget): only which are kept is looked at.
 */

const HOUR_MS = 3_600_000;

let db: TestDatabase;
let redis: Redis;
let prefix: string;

beforeAll(async () => {
  db = await createTestDatabase('regions_prune');
  redis = new Redis(TEST_REDIS_URL);
  prefix = uniqueRedisPrefix('regions-prune');
});

afterAll(async () => {
  await deleteRedisPrefix(prefix);
  redis?.disconnect();
  await db?.drop();
});

/** A listener of a region (its watermark under `region`) that keeps claims `retentionMs`. */
async function startRegion(region: string, retentionMs: number): Promise<OrderChangesListener> {
  const watermark = new RedisHeardWatermarkStore(redis, `${prefix}-${region}`);
  const metrics = new Metrics();
  const logger = createLogger('silent');
  const listener = new OrderChangesListener({
    databaseUrl: db.url,
    replays: { forgetIfHeld: () => Promise.reject(new Error('no order to forget here')) },
    storeCalls: { timeoutMs: 1_000 },
    metrics,
    logger,
    heartbeatMs: { interval: 100, timeout: 2_000 },
    catchUp: new OrderChangesCatchUp({ watermark, retentionMs, metrics, logger }),
  });
  await listener.start();
  await waitUntil(`a watermark in ${region}`, async () => (await watermark.read()) !== null);
  return listener;
}

/** A notice of no order, `ageMs` old. */
async function noticeAged(ageMs: number): Promise<string> {
  const [{ id }] = await db.query<{ id: string }>(
    `INSERT INTO "OrderChangeNotice" ("orderId", "at") VALUES (gen_random_uuid(), now() - $1::float8 * interval '1 millisecond')
     RETURNING "id"::text AS "id"`,
    [ageMs],
  );
  return id;
}

async function kept(id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM "OrderChangeNotice" WHERE "id" = $1', [id])).length === 1;
}

describe('the prune of order change notices', () => {
  it('deletes a notice just older than the retention and margin, and keeps one just younger', async () => {
    const horizonMs = HOUR_MS + CATCH_UP_MARGIN_MS;
    const older = await noticeAged(horizonMs + 3_000);
    const younger = await noticeAged(horizonMs - 20_000);
    const listener = await startRegion('one-hour', HOUR_MS);
    try {
      await waitUntil('the older notice to be pruned', async () => !(await kept(older)));
      expect(await kept(younger)).toBe(true);
    } finally {
      await listener.close();
    }
  });

  it('keeps what a region that keeps claims longer still needs, while it is down', async () => {
    // The 24-hour region heard (its keep is written), then all its listeners went down.
    await (await startRegion('one-day', 24 * HOUR_MS)).close();
    const needed = await noticeAged(2 * HOUR_MS);
    const tooOld = await noticeAged(25 * HOUR_MS);
    const listener = await startRegion('one-hour', HOUR_MS);
    try {
      await waitUntil('the notice older than every region’s need to be pruned', async () => !(await kept(tooOld)));
      expect(await kept(needed)).toBe(true);
    } finally {
      await listener.close();
    }
  });

  it('no longer keeps for a region gone longer than it keeps claims', async () => {
    // A 48-hour region last seen 49 hours ago: none of its claims can be stale any more.
    await db.query(
      `INSERT INTO "OrderChangeNoticeKeep" ("keepMs", "seenAt") VALUES ($1, now() - interval '49 hours')`,
      [48 * HOUR_MS],
    );
    const notice = await noticeAged(30 * HOUR_MS);
    const listener = await startRegion('one-hour', HOUR_MS);
    try {
      await waitUntil('the 30-hour-old notice to be pruned', async () => !(await kept(notice)));
      expect(await db.query('SELECT 1 FROM "OrderChangeNoticeKeep" WHERE "keepMs" = $1', [48 * HOUR_MS])).toEqual([]);
    } finally {
      await listener.close();
    }
  });
});
