import type { Client } from 'pg';
import type { SimulatedHistory } from '../../scripts/risk-simulator/history-rows';

const BATCH = 500;

/** Writes a simulated history into a migrated database's Product, Order, OrderItem and IdempotencyAuditEvent tables. */
export async function writeHistory(client: Client, history: SimulatedHistory): Promise<void> {
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
                                            "channel", "orderId", "relatedOrderId", "requestId", "latencyMs", "similarity",
                                            "candidateEquivalent")
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::"SalesChannel"[], $9::uuid[], $10::uuid[], $11::text[], $12::float8[], $13::float8[], $14::bool[])`,
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
        events.map((event) => event.similarity),
        events.map((event) => event.candidateEquivalent),
      ],
    );
  }
}
