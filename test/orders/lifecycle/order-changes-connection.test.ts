import net from 'node:net';
import pino from 'pino';
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
 * The order-changes listener's connection in trouble. A LISTEN connection whose peer vanished without closing it (a failover that moved a virtual IP, a
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

afterEach(async () => {
  await listener?.close();
  listener = undefined;
});

afterAll(async () => {
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

it('backs off from connections killed right after they listen, instead of reconnecting at the first pause forever', async () => {
  const lost: { retryInMs: number }[] = [];
  const logger = pino(
    { level: 'warn' },
    { write: (line: string) => void lost.push(JSON.parse(line) as { retryInMs: number }) },
  );
  const metrics = new Metrics();
  // Every session of the listener ended by PostgreSQL after 20 ms idle, as a pooler or
  // idle_session_timeout does: each connection is made, LISTENs, and is killed.
  const url = new URL(db.url);
  url.searchParams.set('options', '-c idle_session_timeout=20');
  listener = new OrderChangesListener({
    databaseUrl: url.toString(),
    replays: server.app.services.replays,
    storeCalls: { timeoutMs: 1_000 },
    metrics,
    logger,
    retryMs: { first: 10, max: 60_000 },
  });
  await listener.start();
  // The warning is logged at most once a second: three of them span more than 2 s of losses.
  await waitUntil('three warnings of a lost connection', async () => lost.length >= 3, 20_000);
  await listener.close();
  // Each was a connection made and then lost, not a connection refused.
  expect(await value(metrics.orderChangeListens)).toBeGreaterThanOrEqual(3);
  const pauses = lost.map((line) => line.retryInMs);
  console.log(`pauses logged: ${pauses.join(', ')} ms; connections made: ${await value(metrics.orderChangeListens)}`);
  expect(pauses[0]).toBe(10);
  expect(pauses[1]).toBeGreaterThan(pauses[0]);
  expect(pauses[2]).toBeGreaterThan(pauses[1]);
});

it('makes its LISTEN connection to DATABASE_LISTEN_URL, and everything else to DATABASE_URL', async () => {
  const direct = await startPostgresProxy();
  const other = await startTestServer(db.url, 'order-changes-listen-url', {
    SEMANTIC_DUPLICATE_POLICY: 'OFF',
    DATABASE_LISTEN_URL: throughProxy(db.url, direct),
  });
  try {
    // One connection through DATABASE_LISTEN_URL: the listener's, listening.
    expect(direct.counts.relayed).toBe(1);
    expect(await value(other.app.services.metrics.orderChangeListening)).toBe(1);
    // Its orders go to DATABASE_URL: still one connection through the other.
    await createOrder(other, { customerId: 'lina' }, newKey('listen-url'), {
      currency: 'EUR',
      items: [{ sku: SKU, quantity: 1 }],
    });
    expect(direct.counts.relayed).toBe(1);
  } finally {
    await other.stop();
    await direct.close();
  }
});

it('ends a connection still being made when closed, and is done with it once close() resolves', async () => {
  // A server that accepts and never answers: the connection stays in its handshake.
  const accepted: net.Socket[] = [];
  const silent = net.createServer((socket) => void accepted.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const lines: unknown[] = [];
  try {
    const url = new URL(db.url);
    url.port = String((silent.address() as net.AddressInfo).port);
    listener = new OrderChangesListener({
      databaseUrl: url.toString(),
      replays: server.app.services.replays,
      storeCalls: { timeoutMs: 1_000 },
      metrics: new Metrics(),
      logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }),
    });
    let started = false;
    void listener.start().then(() => (started = true));
    await waitUntil('the connection to reach the server', async () => accepted.length === 1);
    await listener.close();
    // The attempt is over (it would have waited for its 5 s connection timeout), quietly.
    expect(started).toBe(true);
    expect(lines).toEqual([]);
    expect(accepted).toHaveLength(1);
  } finally {
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});
