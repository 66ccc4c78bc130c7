import { ORDER_CHANGES_CHANNEL } from '../../../src/orders/order-changes';
import { countsBy } from '../../support/metrics';
import { createTestDatabase } from '../../support/database';
import type { TestDatabase } from '../../support/database';
import { createOrder, newKey, orderIdOf } from '../../support/order-client';
import { startTestServer } from '../../support/server';
import type { TestServer } from '../../support/server';
import { recordStatements } from '../../support/sql-statements';
import type { StatementLog } from '../../support/sql-statements';
import { waitUntil } from '../../support/wait';
import { seedProduct } from './lifecycle-client';

/**
 * A burst of order-change notifications (a bulk merge, a script, or anyone who can NOTIFY on the
 * channel) must not become one read per id on the background pool, which /readyz's `SELECT 1` and
 * the audit writer share: 20,000 ids in one statement made /readyz answer 503 "postgres down" on
 * every server. The listener reads the ids it heard in batches, one at a time, on its own connection.
 */

const SKU = 'STORM-A';
const INPUT = { currency: 'EUR', items: [{ sku: SKU, quantity: 1 }] };
const NOISE = 5_000;
const HELD = 3;
const BATCH = 500;

let db: TestDatabase;
let server: TestServer;
let log: StatementLog;

beforeAll(async () => {
  db = await createTestDatabase('order_changes_storm');
  server = await startTestServer(db.url, 'order-changes-storm', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });
  await seedProduct(db, SKU, 100);
}, 60_000);

afterAll(async () => {
  log?.stop();
  await server?.stop();
  await db?.drop();
});

/** The statements that read a changed order for the listener (its SELECT by id). */
const orderReads = () => log.statements.filter((text) => /FROM "Order" WHERE "id" = /.test(text)).length;

it('reads a burst of 5,000 ids in batches, keeps /readyz answering, and forgets every held replay', async () => {
  const held: string[] = [];
  for (let n = 0; n < HELD; n++) {
    const created = await createOrder(server, { customerId: `storm-${n}` }, newKey('storm'), INPUT);
    held.push(orderIdOf(created)!);
  }
  const notices = () => countsBy(server.app.services.metrics.orderChangeNotices, 'outcome');
  expect(await notices()).toEqual({});

  log = recordStatements(db.name);
  // One statement: 5,000 ids of no order, then the held ones (delivered in this order, so the
  // held ones are read last).
  await db.query(
    `SELECT count(pg_notify($1, "id"::text)) FROM (
       SELECT gen_random_uuid() AS "id", 1 AS "at" FROM generate_series(1, ${NOISE})
       UNION ALL SELECT "id", 2 FROM unnest($2::uuid[]) AS "id" ORDER BY "at") AS "ids"`,
    [ORDER_CHANGES_CHANNEL, held],
  );
  const readiness: number[] = [];
  await waitUntil(
    'every held replay to be forgotten',
    async () => {
      readiness.push((await fetch(`${server.url}/readyz`)).status);
      return ((await notices())['forgotten'] ?? 0) >= HELD;
    },
    30_000,
    20,
  );
  log.stop();

  expect(await notices()).toEqual({ forgotten: HELD });
  // ceil(5,003 / 500) = 11 reads when the ids are batched; one read per id was 5,003.
  const reads = orderReads();
  console.log(`order reads for ${NOISE + HELD} ids: ${reads}; /readyz meanwhile: ${readiness.join(' ')}`);
  expect(reads).toBeLessThanOrEqual(Math.ceil((NOISE + HELD) / BATCH) + 1);
  expect(readiness.every((status) => status === 200)).toBe(true);
});

it('catches up on 5,000 orders changed while it did not listen in batches on its own connection, /readyz answering', async () => {
  const held: string[] = [];
  for (let n = 0; n < HELD; n++) {
    const created = await createOrder(server, { customerId: `quiet-${n}` }, newKey('quiet'), INPUT);
    held.push(orderIdOf(created)!);
  }
  // Changes that were never heard here: their notices without notifications (as a change committed
  // while every listener of the region was down leaves them), held ones last.
  await db.query(
    `INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "currency", "totalCents", "updatedAt")
     SELECT gen_random_uuid(), 'quiet-noise', 'quiet-' || n, repeat('0', 64), 'EUR', 0, now() FROM generate_series(1, ${NOISE}) AS n`,
  );
  await db.query(
    `INSERT INTO "OrderChangeNotice" ("orderId") SELECT "id" FROM "Order" WHERE "customerId" = 'quiet-noise'`,
  );
  await db.query(`INSERT INTO "OrderChangeNotice" ("orderId") SELECT unnest($1::uuid[])`, [held]);
  const caught = () => countsBy(server.app.services.metrics.orderChangeCatchUpOrders, 'outcome');
  expect(await caught()).toEqual({});

  log = recordStatements(db.name);
  const startedAt = performance.now();
  // The listener's connection lost: it connects again, and catches up from the region's watermark.
  const [{ killed }] = await db.query<{ killed: number }>(
    `SELECT count(pg_terminate_backend("pid"))::int AS "killed" FROM pg_stat_activity
     WHERE "datname" = current_database() AND "application_name" = 'order-gate-order-changes'`,
  );
  expect(killed).toBe(1);
  const readiness: number[] = [];
  await waitUntil(
    'the held replays to be forgotten by the catch-up',
    async () => {
      readiness.push((await fetch(`${server.url}/readyz`)).status);
      return ((await caught())['forgotten'] ?? 0) >= HELD;
    },
    30_000,
    20,
  );
  const tookMs = performance.now() - startedAt;
  log.stop();

  expect(await caught()).toEqual({ forgotten: HELD, absent: NOISE });
  const reads = log.statements.filter((text) => /FROM "OrderChangeNotice" n JOIN "Order"/.test(text)).length;
  console.log(
    `catch-up of ${NOISE + HELD} changed orders: ${reads} reads, ${tookMs.toFixed(0)} ms from the connection's loss; /readyz meanwhile: ${readiness.join(' ')}`,
  );
  // ceil(5,003 / 500) = 11 full or partial batches, and the empty read that ends them.
  expect(reads).toBeLessThanOrEqual(Math.ceil((NOISE + HELD) / BATCH) + 1);
  expect(readiness.every((status) => status === 200)).toBe(true);
});
