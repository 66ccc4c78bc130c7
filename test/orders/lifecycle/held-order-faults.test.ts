import { newKey, tally } from '../../support/order-client';
import { createTestDatabase } from '../../support/database';
import type { TestDatabase } from '../../support/database';
import { stormThroughRedisKill } from '../../support/redis-kill-storm';
import { startRedisServer } from '../../support/redis-server';
import { startTestServer } from '../../support/server';
import type { TestServer } from '../../support/server';
import { holdTransaction, terminateSessionsWaitingOnLocks } from '../../support/database-faults';
import { heldChanges, heldRow, holdOne, ordersUnderKey } from './held-order-client';
import { dismissHeldOrder, labelOf, releaseHeldOrder, seedProduct, stockOf, untilAnswered } from './lifecycle-client';

// releaseHeldOrder and dismissHeldOrder under the faults lifecycle-faults.test.ts puts the other four
// mutations through: Redis killed mid-storm, PostgreSQL sessions terminated mid-transaction. Each
// key is sent by two retrying clients; releases and dismissals race on every held order.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('held_order_faults');
});

afterAll(async () => {
  await db?.drop();
});

interface HeldStorm {
  held: { heldOrderId: string; heldKey: string; customerId: string }[];
  sku: string;
  /** Sends every call (each until a final answer); `onAnswer` sees the count answered so far. */
  run(onAnswer?: (answered: number) => void): Promise<void>;
  expectOneOutcomePerHeldOrder(): Promise<void>;
}

async function prepareHeldStorm(server: TestServer, label: string): Promise<HeldStorm> {
  const sku = `HELD-FAULT-${label}`.toUpperCase();
  await seedProduct(db, sku, 100);
  const held: HeldStorm['held'] = [];
  for (let index = 0; index < 4; index++) {
    const customerId = `${label}-held-${index}`;
    held.push({ ...(await holdOne(server, customerId, sku, 1)), customerId });
  }
  const admin = await server.tokenFor('ada', 'admin');
  const calls = held.flatMap(({ heldOrderId }, index) =>
    Array.from({ length: 4 }, () => {
      const releaseKey = newKey('r');
      const dismissKey = newKey('d');
      const release = () => releaseHeldOrder(server.url, admin, { heldOrderId, key: releaseKey });
      const dismiss = () => dismissHeldOrder(server.url, admin, { heldOrderId, key: dismissKey, reason: 'fault' });
      const pair = index % 2 === 0 ? [release, dismiss] : [dismiss, release];
      // Two clients per key.
      return [...pair, ...pair].map((call) => ({ heldOrderId, call }));
    }).flat(),
  );
  const answers: { __typename: string }[] = [];
  return {
    held,
    sku,
    async run(onAnswer) {
      let answered = 0;
      const results = await Promise.all(
        calls.map(({ call }) =>
          untilAnswered(call, 90_000).then((answer) => {
            onAnswer?.(++answered);
            return answer;
          }),
        ),
      );
      answers.push(...results);
      console.log(`${label}: ${answers.length} clients: ${JSON.stringify(tally(answers, labelOf))}`);
    },
    async expectOneOutcomePerHeldOrder() {
      let released = 0;
      for (const { heldOrderId, heldKey, customerId } of held) {
        const row = await heldRow(db, heldOrderId);
        const releases = await heldChanges(db, 'releaseHeldOrder', heldOrderId);
        const dismissals = await heldChanges(db, 'dismissHeldOrder', heldOrderId);
        const orders = await ordersUnderKey(db, customerId, heldKey);
        expect(releases.length + dismissals.length).toBe(1);
        expect([row.status, orders.length]).toEqual(releases.length === 1 ? ['RELEASED', 1] : ['DISMISSED', 0]);
        if (releases.length === 1) released += 1;
        const mine = answers.filter((_, at) => calls[at].heldOrderId === heldOrderId);
        // The winning key's two clients got the outcome; every other client HeldOrderAlreadyResolved.
        expect(mine.filter((answer) => answer.__typename !== 'HeldOrderAlreadyResolved')).toHaveLength(2);
      }
      // 4 first orders, and one unit per held order released.
      expect(await stockOf(db, sku)).toBe(100 - 4 - released);
    },
  };
}

describe('releaseHeldOrder and dismissHeldOrder under faults', () => {
  it('come to one outcome per held order when Redis is killed in the middle of the storm', async () => {
    const redis = await startRedisServer();
    const server = await startTestServer(db.url, 'held-redis-killed', { REDIS_URL: redis.url });
    try {
      const storm = await prepareHeldStorm(server, 'redis');
      await stormThroughRedisKill(redis, server, (onAnswer) => storm.run(onAnswer), 8);
      await storm.expectOneOutcomePerHeldOrder();
    } finally {
      await server.stop();
      await redis.kill();
    }
  });

  it('come to one outcome per held order when PostgreSQL sessions are terminated mid-transaction', async () => {
    const server = await startTestServer(db.url, 'held-pg-killed');
    // The held rows, locked: every release and dismissal waits on them after its customer's lock,
    // so the terminations land mid-transaction.
    const blocker = await holdTransaction(db.url);
    try {
      const storm = await prepareHeldStorm(server, 'pg');
      await blocker.query(`SELECT 1 FROM "HeldOrder" WHERE "id" = ANY($1::uuid[]) FOR UPDATE`, [
        storm.held.map((held) => held.heldOrderId),
      ]);
      const answers = storm.run();
      const terminatedWhileWaiting = await terminateSessionsWaitingOnLocks(db, blocker).finally(() =>
        blocker.release(),
      );
      await answers;
      console.log(`sessions terminated while waiting on a lock: ${terminatedWhileWaiting}`);
      expect(terminatedWhileWaiting).toBeGreaterThanOrEqual(3);
      await storm.expectOneOutcomePerHeldOrder();
    } finally {
      await blocker.release();
      await server.stop();
    }
  });
});
