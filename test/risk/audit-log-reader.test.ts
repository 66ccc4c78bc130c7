import { Client } from 'pg';
import { readAuditHistory } from '../../src/risk/training/audit-log-reader';
import { buildTrainingSet } from '../../src/risk/training/training-set';
import { compareWithMatcher } from '../../scripts/risk-data';
import { simulateHistory } from '../../scripts/risk-simulator/simulate-history';
import type { SimulatedHistory } from '../../scripts/risk-simulator/history-rows';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

const BATCH = 500;

/**
 * The reader against the real tables: a simulated history is written into a scratch database's
 * Order, OrderItem and IdempotencyAuditEvent tables, read back, and must give the same training
 * set as the history in memory (without the sales source, which no column holds yet).
 */
describe('audit log reader', () => {
  let db: TestDatabase;
  let client: Client;
  const { history } = simulateHistory({ seed: 5, days: 2 });
  const withoutSources: SimulatedHistory = {
    auditEvents: history.auditEvents.map((event) => ({ ...event, salesSource: null })),
    orders: history.orders.map((order) => ({ ...order, salesSource: null })),
  };

  beforeAll(async () => {
    db = await createTestDatabase('risk_reader');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await writeHistory(client, history);
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('reads every audit event and order with its items', async () => {
    const read = await readAuditHistory((sql, params) => client.query(sql, params).then((result) => result.rows), new Date(0));
    expect(read.auditEvents).toHaveLength(history.auditEvents.length);
    expect(read.orders).toHaveLength(history.orders.length);
    const first = history.orders[0]!;
    const firstRead = read.orders.find((order) => order.id === first.id)!;
    expect(firstRead).toMatchObject({ customerId: first.customerId, channel: first.channel, status: first.status, currency: 'EUR', createdAt: first.createdAt });
    expect([...firstRead.items].sort((a, b) => (a.sku < b.sku ? -1 : 1))).toEqual([...first.items].sort((a, b) => (a.sku < b.sku ? -1 : 1)));
  });

  it('gives the training set the history in memory gives', async () => {
    const read = await readAuditHistory((sql, params) => client.query(sql, params).then((result) => result.rows), new Date(0));
    const fromDatabase = buildTrainingSet(read, { compare: compareWithMatcher });
    const fromMemory = buildTrainingSet(withoutSources, { compare: compareWithMatcher });
    expect(fromDatabase.length).toBeGreaterThan(1_000);
    expect(fromDatabase.filter((point) => point.features).length).toBeGreaterThan(100);
    expect(fromDatabase).toEqual(fromMemory);
  });

  it('reads from `since` on, with the orders of the hour before it for the first candidates', async () => {
    const since = history.auditEvents[Math.floor(history.auditEvents.length / 2)]!.at;
    const read = await readAuditHistory((sql, params) => client.query(sql, params).then((result) => result.rows), since);
    expect(read.auditEvents).toHaveLength(history.auditEvents.filter((event) => event.at >= since).length);
    expect(Math.min(...read.orders.map((order) => order.createdAt.getTime()))).toBeGreaterThanOrEqual(since.getTime() - 3_600_000);
    expect(read.orders.some((order) => order.createdAt < since)).toBe(true);
  });
});

async function writeHistory(client: Client, history: SimulatedHistory): Promise<void> {
  const skus = [...new Set(history.orders.flatMap((order) => order.items.map((item) => item.sku)))];
  await client.query(
    `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
     SELECT gen_random_uuid(), sku, sku, 100, 'EUR', 1000000, now() FROM unnest($1::text[]) AS sku`,
    [skus],
  );
  for (let start = 0; start < history.orders.length; start += BATCH) {
    const orders = history.orders.slice(start, start + BATCH);
    await client.query(
      `INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "status", "channel", "currency", "totalCents",
                            "createdAt", "updatedAt", "shippingAddress", "possibleDuplicateOfId", "mergedIntoId")
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::"OrderStatus"[], $6::"SalesChannel"[], $7::text[],
                            $8::int[], $9::timestamptz[], $10::timestamptz[], $11::jsonb[], $12::uuid[], $13::uuid[])`,
      [
        orders.map((order) => order.id),
        orders.map((order) => order.customerId),
        orders.map((order) => order.idempotencyKey),
        orders.map(() => '0'.repeat(64)),
        orders.map((order) => order.status),
        orders.map((order) => order.channel),
        orders.map((order) => order.currency),
        orders.map(() => 100),
        orders.map((order) => order.createdAt),
        orders.map((order) => order.updatedAt),
        orders.map((order) => (order.shippingAddress ? JSON.stringify(order.shippingAddress) : null)),
        orders.map((order) => order.possibleDuplicateOfId),
        orders.map((order) => order.mergedIntoId),
      ],
    );
    const items = orders.flatMap((order) => order.items.map((item) => ({ orderId: order.id, ...item })));
    await client.query(
      `INSERT INTO "OrderItem" ("id", "orderId", "sku", "productId", "quantity", "unitPriceCents")
       SELECT gen_random_uuid(), i."orderId", i.sku, p."id", i.quantity, 100
       FROM unnest($1::uuid[], $2::text[], $3::int[]) AS i("orderId", sku, quantity) JOIN "Product" p ON p."sku" = i.sku`,
      [items.map((item) => item.orderId), items.map((item) => item.sku), items.map((item) => item.quantity)],
    );
  }
  for (let start = 0; start < history.auditEvents.length; start += BATCH) {
    const events = history.auditEvents.slice(start, start + BATCH);
    await client.query(
      `INSERT INTO "IdempotencyAuditEvent" ("at", "outcome", "source", "claim", "customerId", "idempotencyKey", "fingerprint",
                                            "channel", "orderId", "relatedOrderId", "requestId", "latencyMs")
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::"SalesChannel"[], $9::uuid[], $10::uuid[], $11::text[], $12::float8[])`,
      [
        events.map((event) => event.at),
        events.map((event) => event.outcome),
        events.map((event) => event.source),
        events.map((event) => event.claim),
        events.map((event) => event.customerId),
        events.map((event) => event.idempotencyKey),
        events.map((event) => event.fingerprint),
        events.map((event) => event.channel),
        events.map((event) => event.orderId),
        events.map((event) => event.relatedOrderId),
        events.map((event) => event.requestId),
        events.map((event) => event.latencyMs),
      ],
    );
  }
}
