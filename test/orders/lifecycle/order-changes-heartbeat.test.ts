import { createLogger } from '../../../src/observability/logger';
import { Metrics } from '../../../src/observability/metrics';
import { ORDER_CHANGES_CHANNEL } from '../../../src/orders/order-changes';
import { OrderChangesListener } from '../../../src/orders/order-changes-listener';
import { startPostgresProxy, throughProxy } from '../../support/cuttable-tcp-proxy';
import type { CuttableTcpProxy } from '../../support/cuttable-tcp-proxy';
import { createTestDatabase } from '../../support/database';
import type { TestDatabase } from '../../support/database';
import { countsBy } from '../../support/metrics';
import { createOrder, newKey, orderIdOf } from '../../support/order-client';
import { startTestServer } from '../../support/server';
import type { TestServer } from '../../support/server';
import { waitUntil } from '../../support/wait';
import { seedProduct } from './lifecycle-client';

/**
 * A LISTEN connection whose peer vanished without closing it (a failover that moved a virtual IP, a
 * NAT that dropped the idle flow) hears nothing and notices nothing: it only receives, and TCP
 * keepalive tells after hours. The listener's heartbeat (a notification to itself it must hear back)
 * finds it and connects again. Here a listener of the test's own, through a proxy that goes silent.
 */

const SKU = 'HEARTBEAT-A';

let db: TestDatabase;
let server: TestServer;
let proxy: CuttableTcpProxy;
let listener: OrderChangesListener | undefined;

beforeAll(async () => {
  db = await createTestDatabase('order_changes_heartbeat');
  server = await startTestServer(db.url, 'order-changes-heartbeat', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });
  await seedProduct(db, SKU, 100);
  proxy = await startPostgresProxy();
}, 60_000);

afterAll(async () => {
  await listener?.close();
  await proxy?.close();
  await server?.stop();
  await db?.drop();
});

/** The backends of this database's order-changes listeners. */
async function listenerPids(): Promise<number[]> {
  const rows = await db.query<{ pid: number }>(
    `SELECT "pid" FROM pg_stat_activity WHERE "datname" = current_database() AND "application_name" = 'order-gate-order-changes'`,
  );
  return rows.map((row) => row.pid);
}

const value = async (metric: { get(): Promise<{ values: { value: number }[] }> }) =>
  (await metric.get()).values.reduce((sum, { value }) => sum + value, 0);

it('replaces a LISTEN connection gone silent (not closed), and hears changes on the new one', async () => {
  const serverPids = await listenerPids();
  expect(serverPids).toHaveLength(1);
  const metrics = new Metrics();
  listener = new OrderChangesListener({
    databaseUrl: throughProxy(db.url, proxy),
    replays: server.app.services.replays,
    storeCalls: { timeoutMs: 1_000 },
    metrics,
    logger: createLogger('silent'),
    heartbeatMs: { interval: 100, timeout: 500 },
  });
  await listener.start();
  const [first] = (await listenerPids()).filter((pid) => !serverPids.includes(pid));
  expect(first).toBeDefined();
  expect(await value(metrics.orderChangeListens)).toBe(1);
  expect(await value(metrics.orderChangeListening)).toBe(1);

  proxy.silence();
  // Told to the first connection's session, never delivered to the listener.
  await db.query('SELECT pg_notify($1, $2)', [ORDER_CHANGES_CHANNEL, 'told-while-silent']);
  await waitUntil('the listener to LISTEN on a second connection', async () => {
    return (await value(metrics.orderChangeListens)) >= 2;
  });
  // The fault happened: the first connection was silenced, PostgreSQL sent on it and the listener
  // got none of it, and PostgreSQL never saw it close (its session is still there).
  expect(proxy.counts.silenced).toBe(1);
  expect(proxy.counts.withheld).toBeGreaterThan(0);
  const pids = await listenerPids();
  expect(pids).toContain(first);
  expect(pids.filter((pid) => !serverPids.includes(pid) && pid !== first)).toHaveLength(1);
  expect(await value(metrics.orderChangeListens)).toBe(2);
  expect(await value(metrics.orderChangeListening)).toBe(1);

  // The new connection hears: an order created (its replay held), then announced.
  const orderId = orderIdOf(
    await createOrder(server, { customerId: 'hana' }, newKey('heartbeat'), {
      currency: 'EUR',
      items: [{ sku: SKU, quantity: 1 }],
    }),
  )!;
  await db.query('SELECT pg_notify($1, $2)', [ORDER_CHANGES_CHANNEL, orderId]);
  await waitUntil('the new connection to hear the change', async () => {
    return ((await countsBy(metrics.orderChangeNotices, 'outcome'))['forgotten'] ?? 0) >= 1;
  });

  await listener.close();
  expect(await value(metrics.orderChangeListening)).toBe(0);
});
