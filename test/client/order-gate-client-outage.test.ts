import { OrderGateClient } from '../../src/client';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startPostgresProxy, throughProxy } from '../support/cuttable-tcp-proxy';
import type { CuttableTcpProxy } from '../support/cuttable-tcp-proxy';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

// The SDK against a real server whose PostgreSQL goes away (a TCP proxy in front of the shared
// server, cut by the test) or whose code fails for real (a database missing a table it needs).

interface Seen {
  status: number;
  retryAfter: string | null;
}

/** The real fetch, noting each reply's status and Retry-After as the SDK receives them. */
function recordingFetch(seen: Seen[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    seen.push({ status: response.status, retryAfter: response.headers.get('retry-after') });
    return response;
  };
}

describe('OrderGateClient when the server cannot serve', () => {
  let db: TestDatabase;
  let proxy: CuttableTcpProxy;
  let server: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase('client_outage');
    await seedProducts(db.url, [{ sku: 'SDK-OUTAGE', priceCents: 250, stock: 10 }]);
    proxy = await startPostgresProxy();
    server = await startTestServer(throughProxy(db.url, proxy), 'client-outage');
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it('retries SERVICE_UNAVAILABLE with the same key after Retry-After, and places the order once the database is back', async () => {
    const seen: Seen[] = [];
    const waits: number[] = [];
    const client = new OrderGateClient({
      url: `${server.url}/graphql`,
      authToken: await server.tokenFor('olga'),
      customerId: 'olga',
      fetch: recordingFetch(seen),
      retry: {
        // The database comes back while the client waits out the first 503.
        sleep: async (ms) => {
          waits.push(ms);
          proxy.restore();
          await new Promise((resolve) => setTimeout(resolve, ms));
        },
      },
    });
    proxy.cut();
    const outcome = await client.createOrder({ currency: 'EUR', items: [{ sku: 'SDK-OUTAGE', quantity: 1 }] });

    expect(proxy.counts.refused + proxy.counts.reset).toBeGreaterThan(0);
    expect(seen).toEqual([
      { status: 503, retryAfter: '1' },
      { status: 200, retryAfter: null },
    ]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1_000);
    expect(outcome).toMatchObject({ ok: true, replayed: false, attempts: 2 });
    expect(await db.query('SELECT 1 FROM "Order" WHERE "idempotencyKey" = $1', [outcome.idempotencyKey])).toHaveLength(
      1,
    );
  });
});

describe('OrderGateClient when the server has a defect', () => {
  let db: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase('client_defect');
    await seedProducts(db.url, [{ sku: 'SDK-DEFECT', priceCents: 250, stock: 10 }]);
    // A deployment bug: the code writes order items into a table this database does not have.
    await db.query('ALTER TABLE "OrderItem" RENAME TO "OrderItemGone"');
    server = await startTestServer(db.url, 'client-defect');
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('does not retry INTERNAL_SERVER_ERROR: ServerError with the request id, and no order', async () => {
    const seen: Seen[] = [];
    const client = new OrderGateClient({
      url: `${server.url}/graphql`,
      authToken: await server.tokenFor('dora'),
      customerId: 'dora',
      fetch: recordingFetch(seen),
    });
    const outcome = await client.createOrder({ currency: 'EUR', items: [{ sku: 'SDK-DEFECT', quantity: 1 }] });
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      failure: {
        kind: 'ServerError',
        message: 'Internal server error.',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
    });
    expect(seen).toEqual([{ status: 200, retryAfter: null }]);
    expect(await db.query('SELECT 1 FROM "Order"')).toEqual([]);
  });
});
