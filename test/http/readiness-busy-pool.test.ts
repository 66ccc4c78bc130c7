import { Client } from 'pg';
import { request } from '../support/http';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { waitUntil } from '../support/wait';
import { adjustInventory, seedProduct, stockOf, untilAnswered } from '../orders/lifecycle/lifecycle-client';

const POOL_SIZE = 2;
const fixture = withTestServer('readiness-busy-pool', { DATABASE_POOL_SIZE: String(POOL_SIZE) });

// Found from outside: with Redis hanging mid-storm every request took the database path, the hot
// order and product rows held each instance's pool, and /readyz's `SELECT 1` queued behind them
// past its 1 s: one instance in three answered 503 "postgres down" while PostgreSQL answered a
// direct query in 71 ms. A load balancer would pull instances for a database that is up.
describe('/readyz while every pooled connection waits on a locked row', () => {
  it('says PostgreSQL is up, and the waiting changes go through once the lock is released', async () => {
    const sku = 'BUSY-POOL-1';
    await seedProduct(fixture.db, sku, 10);
    const blocker = new Client({ connectionString: fixture.db.url });
    await blocker.connect();
    const admin = await fixture.server.tokenFor('ops', 'admin');
    const adjust = () => {
      const key = newKey('busy');
      return untilAnswered(() => adjustInventory(fixture.server.url, admin, { sku, delta: 1, key, reason: 'restock' }));
    };
    let waiting: Promise<unknown>[] | undefined;
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM "Product" WHERE "sku" = $1 FOR UPDATE`, [sku]);
      const blockerPid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      waiting = Array.from({ length: POOL_SIZE + 2 }, adjust);
      // The fault: the whole pool is inside transactions waiting on the lock (the rest queue for it).
      await waitUntil('the pool to wait on the lock', async () => {
        const rows = await fixture.db.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> $2`,
          [fixture.db.name, blockerPid],
        );
        return rows.length === POOL_SIZE;
      });
      const ready = await request(fixture.server.url, '/readyz');
      expect([ready.status, JSON.parse(ready.text)]).toEqual([
        200,
        { status: 'ready', checks: { postgres: 'up', redis: 'up' } },
      ]);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const answers = await Promise.all(waiting ?? []);
    expect(answers.map((answer) => (answer as { __typename: string }).__typename)).toEqual(
      Array.from({ length: POOL_SIZE + 2 }, () => 'InventoryAdjusted'),
    );
    expect(await stockOf(fixture.db, sku)).toBe(10 + POOL_SIZE + 2);
  });
});
