import { createTestDatabase } from '../../support/database';
import type { TestDatabase } from '../../support/database';
import { stormThroughRedisKill } from '../../support/redis-kill-storm';
import { startRedisServer } from '../../support/redis-server';
import { startTestServer } from '../../support/server';
import { holdTransaction, terminateSessionsWaitingOnLocks } from '../../support/database-faults';
import { RefundOrderDocument } from '../../../src/client/generated';
import { postOperation } from '../../support/graphql-client';
import { newKey } from '../../support/order-client';
import { placeOrders, refundOrder, seedProduct } from './lifecycle-client';
import { prepareLifecycleStorm } from './lifecycle-storm';

// OFF: the storms place several same-cart orders; the possible-duplicate hold is not under test here.
const SERVER_ENV = { SEMANTIC_DUPLICATE_POLICY: 'OFF' };

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('lifecycle_faults');
});

afterAll(async () => {
  await db?.drop();
});

describe('the lifecycle mutations under faults', () => {
  it('keep one effect per intent when Redis is killed in the middle of a storm of all four', async () => {
    const redis = await startRedisServer();
    const server = await startTestServer(db.url, 'lifecycle-redis-killed', { ...SERVER_ENV, REDIS_URL: redis.url });
    try {
      const storm = await prepareLifecycleStorm(server, db);
      await stormThroughRedisKill(redis, server, (onAnswer) => storm.run(onAnswer), 40);
      await storm.expectOneEffectPerIntent();
    } finally {
      await server.stop();
      await redis.kill();
    }
  });

  it('keep one effect per intent when PostgreSQL sessions are terminated mid-transaction', async () => {
    const server = await startTestServer(db.url, 'lifecycle-pg-killed', SERVER_ENV);
    const blocker = await holdTransaction(db.url);
    try {
      const storm = await prepareLifecycleStorm(server, db);
      // Held rows stall the storm's transactions (a cancel after its change row, an adjustment, a refund
      // and an address change at their first lock) so that the terminations land mid-transaction.
      await blocker.query(`SELECT 1 FROM "Product" WHERE "sku" = ANY($1) FOR UPDATE`, [Object.values(storm.skus)]);
      await blocker.query(`SELECT 1 FROM "Order" WHERE "id" = ANY($1::uuid[]) FOR UPDATE`, [storm.heldOrders]);
      const answers = storm.run();
      const terminatedWhileWaiting = await terminateSessionsWaitingOnLocks(db, blocker).finally(() =>
        blocker.release(),
      );
      await answers;
      console.log(`sessions terminated while waiting on a lock: ${terminatedWhileWaiting}`);
      expect(terminatedWhileWaiting).toBeGreaterThanOrEqual(3);
      await storm.expectOneEffectPerIntent();
    } finally {
      await blocker.release();
      await server.stop();
    }
  });

  it('record nothing for a repeat the claim store answered whose answer then failed (503): only answers are audited', async () => {
    const server = await startTestServer(db.url, 'lifecycle-repeat-unavailable', SERVER_ENV);
    try {
      await seedProduct(db, 'FAULT-R1', 10, 1_000);
      const [orderId] = await placeOrders(server, 'FAULT-R1', 1, 2, () => 'fault-rosa');
      const admin = await server.tokenFor('fault-ada', 'admin');
      const key = newKey('refund');
      const variables = { orderId, key, amountCents: 500 };
      expect(await refundOrder(server.url, admin, variables)).toMatchObject({ detectedBy: null });
      expect(await refundOrder(server.url, admin, variables)).toMatchObject({ detectedBy: 'CACHE' });

      // The repeat's answer reads the order as it is now: the lock holds that read until its session is terminated.
      const blocker = await holdTransaction(db.url, 'LOCK TABLE "Order" IN ACCESS EXCLUSIVE MODE');
      const failing = postOperation(server.url, RefundOrderDocument, variables, { token: admin });
      await terminateSessionsWaitingOnLocks(db, blocker, 1).finally(() => blocker.release());
      const failed = await failing;
      expect(failed.status).toBe(503);
      expect(failed.body.errors?.[0]?.extensions?.['code']).toBe('SERVICE_UNAVAILABLE');
      // Nothing was replayed: the answer does not exist.
      expect(failed.headers['idempotent-replayed']).toBeUndefined();

      expect(await refundOrder(server.url, admin, variables)).toMatchObject({ detectedBy: 'CACHE' });
      await server.app.services.auditLog.flush();
      const rows = await db.query<{ outcome: string; source: string | null; requestId: string }>(
        `SELECT "outcome", "source", "requestId" FROM "IdempotencyAuditEvent" WHERE "idempotencyKey" = $1 ORDER BY "id"`,
        [key],
      );
      expect(rows.map((row) => `${row.outcome} ${row.source ?? ''}`.trim())).toEqual([
        'created',
        'duplicate CACHE',
        'duplicate CACHE',
      ]);
      expect(rows.map((row) => row.requestId)).not.toContain(failed.headers['x-request-id']);
    } finally {
      await server.stop();
    }
  });
});
