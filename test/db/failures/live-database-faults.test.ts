import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { seedProducts } from '../../support/catalog';
import { ADMIN_DATABASE_URL } from '../../support/database';
import {
  databaseFailureCounts,
  expectGraphQLUnavailable,
  expectRestUnavailable,
  holdProductRow,
  holdTransaction,
  timedCreateOrder,
  timedRestOrder,
} from '../../support/database-faults';
import { waitForLockWait } from '../../support/locks';
import { withTestServer } from '../../support/test-server-fixture';
import { waitUntil } from '../../support/wait';

// Faults caused for real on a live PostgreSQL (the shared server, this file's own scratch
// database only): a row held by another session, a session terminated mid-transaction, the
// database turned read-only, a deadlock. Each test first shows the failure happened (its SQLSTATE
// in order_gate_database_failures_total), then the answer and its time, then that the same key
// retried gives exactly one order.

const BUDGET_MS = 2_000;
/**
 * What HTTP, Apollo and a busy machine may add to the budget (ms): under a load average of 26 on
 * two cores the answer came up to 720 ms after the budget.
 */
const SLACK_MS = 1_500;
const fixture = withTestServer('db_faults', {
  ORDER_TRANSACTION_BUDGET_MS: String(BUDGET_MS),
  SEMANTIC_DUPLICATE_POLICY: 'OFF',
  ORDER_RATE_LIMIT: '1000000/1',
});

beforeAll(async () => {
  await seedProducts(fixture.db.url, [
    { sku: 'HELD-1', priceCents: 100, stock: 1_000 },
    { sku: 'DL-A', priceCents: 100, stock: 1_000 },
    { sku: 'DL-B', priceCents: 100, stock: 1_000 },
    { sku: 'RO-1', priceCents: 100, stock: 1_000 },
  ]);
});

const newCustomer = () => `db-fault-${randomUUID()}`;

async function ordersOfKey(key: string): Promise<{ id: string; totalCents: number }[]> {
  return fixture.db.query('SELECT "id", "totalCents" FROM "Order" WHERE "idempotencyKey" = $1', [key]);
}

/** The failure classes the audit log recorded for a key (written in the background: waited for). */
async function auditedFailures(key: string, count: number): Promise<string[]> {
  const query = () =>
    fixture.db.query<{ source: string }>(
      `SELECT "source" FROM "IdempotencyAuditEvent" WHERE "idempotencyKey" = $1 AND "outcome" = 'database_unavailable'`,
      [key],
    );
  await waitUntil(`${count} audit records of ${key}`, async () => (await query()).length >= count);
  return (await query()).map((row) => row.source);
}

/** The same keys sent again, through GraphQL and REST, once the fault is gone: one order each. */
async function expectRetriesMakeOneOrderEach(
  token: string,
  { graphqlKey, restKey }: { graphqlKey: string; restKey: string },
  items: { sku: string; quantity: number }[],
): Promise<void> {
  const retried = await timedCreateOrder(fixture.server.url, token, graphqlKey, items);
  const restRetried = await timedRestOrder(fixture.server.url, token, restKey, items);
  expect([retried.body.data?.createOrder.__typename, restRetried.status]).toEqual(['OrderCreated', 201]);
  expect(await ordersOfKey(graphqlKey)).toHaveLength(1);
  expect(await ordersOfKey(restKey)).toHaveLength(1);
}

/** Runs `work` on a connection to the admin database. */
async function onAdminDatabase<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Sets or resets a setting of the test's own database (from the admin database: it may be read-only). */
async function alterTestDatabase(change: string): Promise<void> {
  await onAdminDatabase((admin) => admin.query(`ALTER DATABASE "${fixture.db.name}" ${change}`));
}

/**
 * Ends every session of the test database but this test's own, and waits until those sessions are
 * gone. The server's pools reconnect at once, so new sessions may already be there: only the ended
 * ones are waited for.
 */
async function terminateServerSessions(): Promise<void> {
  const ended = await fixture.db.query<{ pid: number }>(
    'SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [fixture.db.name],
  );
  const pids = ended.map((row) => row.pid);
  await waitUntil('the sessions to end', async () => {
    const left = await fixture.db.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    return left.length === 0;
  });
}

describe('database failures caused for real answer 503 with Retry-After within the budget', () => {
  it('a product row held by another session: lock timeout (55P03), GraphQL and REST alike; the retry makes one order', async () => {
    const token = await fixture.server.tokenFor(newCustomer());
    const [graphqlKey, restKey] = [`held-gql-${randomUUID()}`, `held-rest-${randomUUID()}`];
    const items = [{ sku: 'HELD-1', quantity: 1 }];
    const held = await holdProductRow(fixture.db.url, 'HELD-1');
    let graphql, rest;
    try {
      [graphql, rest] = await Promise.all([
        timedCreateOrder(fixture.server.url, token, graphqlKey, items),
        timedRestOrder(fixture.server.url, token, restKey, items),
      ]);
    } finally {
      await held.release();
    }
    console.log(`row held: GraphQL ${graphql.status} in ${graphql.ms} ms, REST ${rest.status} in ${rest.ms} ms`);

    const failures = await databaseFailureCounts(fixture.server.url);
    console.log(`row held: failures ${JSON.stringify(failures)}`);
    // Two waiters queue on the row: the first is answered by its lock timeout; the second's lock
    // wait starts again when the first lets the queue go, so its statement timeout may come first.
    expect(failures['lock_timeout/55P03/raised']).toBeGreaterThanOrEqual(1);
    expect((failures['lock_timeout/55P03/raised'] ?? 0) + (failures['statement_timeout/57014/raised'] ?? 0)).toBe(2);
    expectGraphQLUnavailable(graphql);
    expectRestUnavailable(rest);
    for (const reply of [graphql, rest]) {
      // The lock wait gets 80 % of the budget: not the old 20 s, and not before the lock timeout either.
      expect(reply.ms).toBeGreaterThanOrEqual(BUDGET_MS * 0.8 - 50);
      expect(reply.ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    }
    expect([...(await ordersOfKey(graphqlKey)), ...(await ordersOfKey(restKey))]).toEqual([]);
    // The audit says which failure each was.
    const audited = [...(await auditedFailures(graphqlKey, 1)), ...(await auditedFailures(restKey, 1))];
    const counted = Object.entries(failures).flatMap(([label, count]) =>
      Array<string>(count).fill(label.split('/')[0]),
    );
    expect(audited.sort()).toEqual(counted.sort());

    await expectRetriesMakeOneOrderEach(token, { graphqlKey, restKey }, items);
  }, 30_000);

  it("pg_terminate_backend of the server's session mid-transaction: admin shutdown (57P01); the retry makes one order", async () => {
    const token = await fixture.server.tokenFor(newCustomer());
    const key = `terminated-${randomUUID()}`;
    const held = await holdProductRow(fixture.db.url, 'HELD-1');
    let reply;
    try {
      const answer = timedCreateOrder(fixture.server.url, token, key, [{ sku: 'HELD-1', quantity: 1 }]);
      await waitForLockWait(fixture.db);
      const terminated = await fixture.db.query<{ pid: number }>(
        `SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> $2`,
        [fixture.db.name, held.pid],
      );
      expect(terminated).toHaveLength(1);
      reply = await answer;
    } finally {
      await held.release();
    }
    console.log(`session terminated: ${reply.status} in ${reply.ms} ms`);

    expect(await databaseFailureCounts(fixture.server.url)).toMatchObject({ 'shutdown/57P01/raised': 1 });
    expect(await auditedFailures(key, 1)).toEqual(['shutdown']);
    expectGraphQLUnavailable(reply);
    expect(reply.ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    expect(await ordersOfKey(key)).toEqual([]);

    const retried = await timedCreateOrder(fixture.server.url, token, key, [{ sku: 'HELD-1', quantity: 1 }]);
    expect(retried.body.data?.createOrder.__typename).toBe('OrderCreated');
    expect(await ordersOfKey(key)).toHaveLength(1);
  }, 30_000);

  it('the database turned read-only (default_transaction_read_only, as on a demoted primary): 25006; the retry after it is writable makes one order', async () => {
    const token = await fixture.server.tokenFor(newCustomer());
    const key = `read-only-${randomUUID()}`;
    const items = [{ sku: 'RO-1', quantity: 1 }];
    // This test's own scratch database, never a shared setting; new sessions take it.
    await alterTestDatabase('SET default_transaction_read_only = on');
    let reply;
    try {
      await terminateServerSessions();
      reply = await timedCreateOrder(fixture.server.url, token, key, items);
    } finally {
      await alterTestDatabase('RESET default_transaction_read_only');
      await terminateServerSessions();
    }
    console.log(`read-only: ${reply.status} in ${reply.ms} ms`);

    expect(await databaseFailureCounts(fixture.server.url)).toMatchObject({ 'read_only/25006/raised': 1 });
    expectGraphQLUnavailable(reply);
    expect(reply.ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    expect(await ordersOfKey(key)).toEqual([]);

    // The first request after the sessions ended may meet a pooled connection that is not known
    // to be gone yet (a 503 as well); the client retries after Retry-After, as the SDK does.
    let retried = await timedCreateOrder(fixture.server.url, token, key, items);
    if (retried.status === 503) retried = await timedCreateOrder(fixture.server.url, token, key, items);
    expect(retried.body.data?.createOrder.__typename).toBe('OrderCreated');
    expect(await ordersOfKey(key)).toHaveLength(1);
  }, 30_000);

  it('the database refusing new connections (ALLOW_CONNECTIONS false: 55000): 503, not a 500 of a defect, GraphQL and REST alike; the retry after it allows them makes one order', async () => {
    const token = await fixture.server.tokenFor(newCustomer());
    const [graphqlKey, restKey] = [`refused-gql-${randomUUID()}`, `refused-rest-${randomUUID()}`];
    const items = [{ sku: 'RO-1', quantity: 1 }];
    const before = await databaseFailureCounts(fixture.server.url);
    // This test's own scratch database; its sessions are ended from the admin database, since no new
    // session of it can open now (this test's helpers' neither).
    await alterTestDatabase('WITH ALLOW_CONNECTIONS false');
    let graphql, rest;
    try {
      await onAdminDatabase((admin) =>
        admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [fixture.db.name]),
      );
      // The pools may meet a connection not yet known to be gone first: that too is a 503.
      graphql = await timedCreateOrder(fixture.server.url, token, graphqlKey, items);
      rest = await timedRestOrder(fixture.server.url, token, restKey, items);
      graphql = await timedCreateOrder(fixture.server.url, token, graphqlKey, items);
    } finally {
      await alterTestDatabase('WITH ALLOW_CONNECTIONS true');
    }
    console.log(`connections refused: GraphQL ${graphql.status}, REST ${rest.status}`);

    const after = await databaseFailureCounts(fixture.server.url);
    // The fault happened: the server's pools were refused with 55000.
    expect((after['unreachable/55000/raised'] ?? 0) - (before['unreachable/55000/raised'] ?? 0)).toBeGreaterThanOrEqual(
      1,
    );
    expectGraphQLUnavailable(graphql);
    expectRestUnavailable(rest);
    expect([...(await ordersOfKey(graphqlKey)), ...(await ordersOfKey(restKey))]).toEqual([]);

    await expectRetriesMakeOneOrderEach(token, { graphqlKey, restKey }, items);
  }, 30_000);

  it('a real deadlock with another session (40P01) is retried inside the server: the client gets its order, once', async () => {
    const token = await fixture.server.tokenFor(newCustomer());
    const key = `deadlock-${randomUUID()}`;
    const before = await databaseFailureCounts(fixture.server.url);
    // The other session locks DL-B; the order locks DL-A, then waits for DL-B; the other session
    // then asks for DL-A: a cycle. Its deadlock_timeout is long, so the order's session (1 s, the
    // default) finds the deadlock and is the one rolled back.
    const other = await holdTransaction(fixture.db.url, "SET LOCAL deadlock_timeout = '30s'");
    let reply;
    try {
      await other.query(`SELECT 1 FROM "Product" WHERE "sku" = 'DL-B' FOR UPDATE`);
      const answer = timedCreateOrder(fixture.server.url, token, key, [
        { sku: 'DL-A', quantity: 1 },
        { sku: 'DL-B', quantity: 1 },
      ]);
      await waitForLockWait(fixture.db);
      // Granted once the order's transaction is rolled back; then the other session lets go.
      await other.query(`SELECT 1 FROM "Product" WHERE "sku" = 'DL-A' FOR UPDATE`);
      await other.release();
      reply = await answer;
    } finally {
      await other.release();
    }
    console.log(`deadlock: ${reply.status} ${reply.body.data?.createOrder.__typename} in ${reply.ms} ms`);

    const after = await databaseFailureCounts(fixture.server.url);
    expect((after['deadlock/40P01/retried'] ?? 0) - (before['deadlock/40P01/retried'] ?? 0)).toBe(1);
    expect(reply.status).toBe(200);
    expect(reply.body.data?.createOrder.__typename).toBe('OrderCreated');
    expect(reply.ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    expect(await ordersOfKey(key)).toEqual([{ id: expect.any(String) as unknown, totalCents: 200 }]);
  }, 30_000);
});
