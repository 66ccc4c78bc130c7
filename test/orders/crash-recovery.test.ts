import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER } from '../support/operations';
import { deleteRedisPrefix, TEST_REDIS_URL } from '../support/redis';
import { spawnServerProcess, testEnvironment } from '../support/server';
import { waitForLockWait } from '../support/locks';
import { waitUntil } from '../support/wait';
import { claimKey } from '../../src/stores/store-keys';

// Long enough to outlast, on a loaded shared machine, the crash, PostgreSQL's rollback and a second
// server process starting: at 3 s the lease sometimes ran out first and the "early" request
// rightly created the order instead of answering RequestInProgress.
const LEASE_MS = 12_000;

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('crash');
});

afterAll(async () => {
  await db?.drop();
});

describe('a server process killed between claim and commit', () => {
  it('leaves no partial order, and a retry after the lease creates exactly one', async () => {
    await seedProducts(db.url, [{ sku: 'CRASH-1', priceCents: 700, stock: 10 }]);
    // A generous Redis timeout: a claim that times out on a busy machine runs unclaimed, which is
    // correct but not the path under test.
    // And a transaction budget far past the test: the held row must still be waited on when the process dies
    // (at the default, lock_timeout would end the wait and the client would get a 503 instead).
    const env = testEnvironment(db.url, 'crash', {
      IDEMPOTENCY_LEASE_MS: String(LEASE_MS),
      REDIS_TIMEOUT_MS: '5000',
      ORDER_TRANSACTION_BUDGET_MS: '60000',
    });
    const token = await signViewerToken({ customerId: 'heidi', role: 'customer' }, loadConfig(env).jwtSecret);
    const key = `key-${randomUUID()}`;
    const input = { currency: 'EUR', items: [{ sku: 'CRASH-1', quantity: 4 }] };
    const redis = new Redis(TEST_REDIS_URL);
    const heidisClaim = claimKey(env['REDIS_KEY_PREFIX'], 'heidi', key);

    // Hold the product row so the first server's transaction stops midway: order row inserted,
    // stock not yet reserved, nothing committed.
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query(`SELECT 1 FROM "Product" WHERE "sku" = 'CRASH-1' FOR UPDATE`);

    const first = await spawnServerProcess(env);
    try {
      const doomed = postGraphQL(first.url, CREATE_ORDER, { key, input }, { token }).catch((error: Error) => error);
      await waitUntil('the claim', async () => (await redis.get(heidisClaim))?.includes('"pending"') ?? false);
      await waitForLockWait(db);
      first.child.kill('SIGKILL');
      await first.exited;
      // The client saw its connection die, not an answer.
      const outcome = await doomed;
      expect(outcome instanceof Error ? outcome.message : JSON.stringify(outcome)).toMatch(/socket hang up|ECONNRESET/);
      // Its transaction's last statement, waiting on the row, carries the COMMIT in the same message:
      // PostgreSQL must notice the dead client (client_connection_check_interval, 100 ms) and roll
      // back before the row comes free, or the order would commit with nobody to answer.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }

    // PostgreSQL rolls the dead server's transaction back once it notices the closed connection.
    await waitUntil('the dead transaction to end', async () => {
      const open = await db.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND state <> 'idle' AND pid <> pg_backend_pid()`,
        [db.name],
      );
      return open.length === 0;
    });
    expect(await db.query('SELECT 1 FROM "Order"')).toEqual([]);
    expect(await db.query('SELECT 1 FROM "OrderItem"')).toEqual([]);
    expect(await db.query(`SELECT "stock" FROM "Product" WHERE "sku" = 'CRASH-1'`)).toEqual([{ stock: 10 }]);
    expect(await redis.get(heidisClaim)).toContain('"pending"');

    const second = await spawnServerProcess(env);
    try {
      const early = await postGraphQL<{ createOrder: { __typename: string; retryAfterMs?: number } }>(
        second.url,
        CREATE_ORDER,
        { key, input },
        { token },
      );
      expect(early.body.data?.createOrder.__typename).toBe('RequestInProgress');
      expect(early.body.data?.createOrder.retryAfterMs).toBeGreaterThan(0);
      expect(early.body.data?.createOrder.retryAfterMs).toBeLessThanOrEqual(LEASE_MS);

      await waitUntil('the lease to expire', async () => (await redis.exists(heidisClaim)) === 0, LEASE_MS + 2_000);
      const retried = await postGraphQL<{ createOrder: { __typename: string } }>(
        second.url,
        CREATE_ORDER,
        { key, input },
        { token },
      );
      expect(retried.body.data?.createOrder.__typename).toBe('OrderCreated');
      const repeated = await postGraphQL<{ createOrder: { __typename: string } }>(
        second.url,
        CREATE_ORDER,
        { key, input },
        { token },
      );
      expect(repeated.body.data?.createOrder.__typename).toBe('DuplicateDetected');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
      redis.disconnect();
      await deleteRedisPrefix(env['REDIS_KEY_PREFIX']);
    }
    expect(await db.query(`SELECT count(*)::int AS n FROM "Order" WHERE "idempotencyKey" = $1`, [key])).toEqual([
      { n: 1 },
    ]);
    expect(await db.query(`SELECT "stock" FROM "Product" WHERE "sku" = 'CRASH-1'`)).toEqual([{ stock: 6 }]);
  });
});
