import { randomUUID } from 'node:crypto';
import { MAX_INT4 } from '../db/int-range';
import { fieldPath } from '../request/field-path';
import type { PrismaClient } from '../db/prisma';
import { cartSignature } from '../dedupe/cart-signature';
import { fingerprintOrderRequest } from '../orders/order-request';
import type { OrderRequest } from '../orders/order-request';
import { isStorableDate } from '../request/date-argument';
import type { OrderRecord } from './order-record';

/** A line that passed validation, ready to be written. */
export interface ReadyOrder {
  line: number;
  record: OrderRecord;
  request: OrderRequest;
}

interface ProductRow {
  id: string;
  sku: string;
  priceCents: number;
  currency: string;
}

/** A line that cannot be written, and why (the line's number, for the operator). */
export interface RefusedLine {
  line: number;
  problem: string;
}

/** One order of a batch as the write statement reads it (JSON). */
interface OrderRow {
  id: string;
  /** The file's line number, to name a line the statement refuses (not stored). */
  line: number;
  customerId: string;
  idempotencyKey: string;
  fingerprint: string;
  status: string;
  channel: string;
  currency: string;
  totalCents: number;
  cartSignature: string;
  shippingAddress: OrderRequest['shippingAddress'] | null;
  externalId: string;
  createdAt: string;
  items: {
    sku: string;
    productId: string;
    quantity: number;
    unitPriceCents: number;
  }[];
}

/**
 * Writes batches of imported orders. Products are looked up once per SKU and kept (the catalog
 * does not change under an import). A batch is one statement whose only parameter is the batch
 * as JSON: orders and their items go in together (atomic without a transaction around it), and
 * neither Prisma nor the driver has to handle thousands of parameters.
 */
export class ImportWriter {
  private readonly products = new Map<string, ProductRow>();

  constructor(private readonly prisma: PrismaClient) {}

  /**
   * The batch's rows, and the orders that cannot be priced: a SKU the catalog does not know, or a
   * line without its own price in another currency than the product's (today's price is in the
   * product's currency: EUR cents written as USD would be a wrong total, which createOrder refuses too).
   */
  async prepare(batch: readonly ReadyOrder[]): Promise<{ rows: OrderRow[]; refused: RefusedLine[] }> {
    const missing = [...new Set(batch.flatMap((order) => order.request.lines.map((line) => line.sku)))].filter(
      (sku) => !this.products.has(sku),
    );
    if (missing.length > 0) {
      const found = await this.prisma.$queryRaw<
        ProductRow[]
      >`SELECT "id", "sku", "priceCents", "currency" FROM "Product" WHERE "sku" = ANY(${missing}::text[])`;
      for (const product of found) this.products.set(product.sku, product);
    }
    const rows: OrderRow[] = [];
    const refused: RefusedLine[] = [];
    for (const order of batch) {
      const problem = this.unpriceable(order) ?? unstorable(order);
      const row = problem ? null : this.orderRow(order);
      const total = row && row.totalCents > MAX_INT4 ? `items: the order's total passes ${MAX_INT4} cents` : null;
      if (problem || total) refused.push({ line: order.line, problem: (problem ?? total)! });
      else rows.push(row!);
    }
    return { rows, refused };
  }

  /** Why an order's lines cannot be priced, or null. */
  private unpriceable({ record, request }: ReadyOrder): string | null {
    const missingSku = request.lines.find((line) => !this.products.has(line.sku));
    if (missingSku) return `items: unknown SKU ${missingSku.sku}`;
    const given = givenPrices(record);
    const otherCurrency = request.lines.find(
      (line) => !given.has(line.sku) && this.products.get(line.sku)!.currency !== request.currency,
    );
    if (!otherCurrency) return null;
    const product = this.products.get(otherCurrency.sku)!;
    return `currency: ${otherCurrency.sku} is sold in ${product.currency}, not ${request.currency} (give the line's unitPriceCents to import it in ${request.currency})`;
  }

  /**
   * Inserts the rows whose (channel, externalId) is new. Returns how many were, and the lines that
   * were not although their (channel, externalId) is new: their idempotency key is already one of
   * the customer's orders (a live one, or another line of the file), and keys are unique per
   * customer. Those are refused, not counted as imported before: they are another order.
   */
  async write(rows: readonly OrderRow[]): Promise<{ imported: number; refused: RefusedLine[] }> {
    if (rows.length === 0) return { imported: 0, refused: [] };
    // The final SELECT reads "Order" as it was before this statement: an order found there by
    // (channel, externalId) was imported before; one inserted by another line of the batch is in `inserted`.
    const [result] = await this.prisma.$queryRaw<{ imported: number; keyTaken: number[] | null }[]>`
      WITH input AS (
        SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
          "id" uuid, "line" int, "customerId" text, "idempotencyKey" text, "fingerprint" text, "status" text, "channel" text,
          "currency" text, "totalCents" int, "cartSignature" text, "shippingAddress" jsonb, "externalId" text,
          "createdAt" timestamptz, "items" jsonb)
      ), inserted AS (
        INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "status", "channel", "currency", "totalCents",
                             "cartSignature", "shippingAddress", "externalId", "createdAt", "updatedAt", "stockTaken")
        SELECT "id", "customerId", "idempotencyKey", "fingerprint", "status"::"OrderStatus", "channel"::"SalesChannel", "currency",
               "totalCents", "cartSignature", "shippingAddress", "externalId", "createdAt", now(),
               false -- history was fulfilled in its own system: it took no stock here, so it gives none back
        FROM input
        ON CONFLICT DO NOTHING
        RETURNING "id"
      ), items AS (
        INSERT INTO "OrderItem" ("id", "orderId", "sku", "productId", "quantity", "unitPriceCents")
        SELECT gen_random_uuid(), input."id", item."sku", item."productId", item."quantity", item."unitPriceCents"
        FROM input JOIN inserted ON inserted."id" = input."id",
             jsonb_to_recordset(input."items") AS item("sku" text, "productId" uuid, "quantity" int, "unitPriceCents" int)
      )
      SELECT (SELECT count(*)::int FROM inserted) AS "imported",
             (SELECT array_agg(input."line" ORDER BY input."line") FROM input
              WHERE NOT EXISTS (SELECT 1 FROM inserted WHERE inserted."id" = input."id")
                AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE o."channel" = input."channel"::"SalesChannel"
                                  AND o."source" = '' AND o."externalId" = input."externalId")
                AND NOT EXISTS (SELECT 1 FROM input twin JOIN inserted ON inserted."id" = twin."id"
                                WHERE twin."channel" = input."channel" AND twin."externalId" = input."externalId")
             ) AS "keyTaken"`;
    const byLine = new Map(rows.map((row) => [row.line, row]));
    const refused = (result?.keyTaken ?? []).map((line) => {
      const row = byLine.get(line)!;
      return {
        line,
        problem: `idempotencyKey: customer ${row.customerId} already has another order under ${row.idempotencyKey} (keys are unique per customer; this line is ${row.channel} ${row.externalId})`,
      };
    });
    return { imported: result?.imported ?? 0, refused };
  }

  private orderRow({ line, record, request }: ReadyOrder): OrderRow {
    // The price charged then, when the record has it; otherwise today's catalog price.
    const givenPrice = givenPrices(record);
    const items = request.lines.map((line) => {
      const product = this.products.get(line.sku)!;
      return {
        sku: line.sku,
        productId: product.id,
        quantity: line.quantity,
        unitPriceCents: givenPrice.get(line.sku) ?? product.priceCents,
      };
    });
    return {
      id: randomUUID(),
      line,
      customerId: record.customerId,
      // Keys are unique per customer: an invented one names its source, so it cannot meet a live key.
      idempotencyKey: record.idempotencyKey ?? `import:${record.channel}:${record.externalId}`,
      fingerprint: fingerprintOrderRequest(record.customerId, request),
      status: record.status ?? 'CONFIRMED',
      channel: record.channel,
      currency: request.currency,
      totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
      cartSignature: cartSignature(request),
      shippingAddress: request.shippingAddress ?? null,
      externalId: record.externalId,
      createdAt: new Date(record.createdAt).toISOString(),
      items,
    };
  }
}

/** The unit prices a record gives, by SKU as the request spells it (trimmed, upper case). */
function givenPrices(record: OrderRecord): Map<string, number> {
  return new Map(
    record.items
      .filter((item) => item.unitPriceCents !== undefined)
      .map((item) => [item.sku.trim().toUpperCase(), item.unitPriceCents!]),
  );
}

/**
 * What PostgreSQL could not store of a line, named for the operator, or null. Found from outside
 * (stop 39): such a line failed its whole batch's statement ("out of range for type integer",
 * "date/time field value out of range", "index row requires 20032 bytes"), and the run stopped
 * with a raw Prisma error, the good lines after it not imported.
 */
function unstorable({ record }: ReadyOrder): string | null {
  const price = record.items.findIndex((item) => (item.unitPriceCents ?? 0) > MAX_INT4);
  if (price >= 0) return `${fieldPath(['items', price, 'unitPriceCents'])}: at most ${MAX_INT4}`;
  if (!isStorableDate(new Date(record.createdAt))) return 'createdAt: must be between years 1 and 9999';
  if ((record.idempotencyKey ?? '').length > MAX_KEY_LENGTH)
    return `idempotencyKey: at most ${MAX_KEY_LENGTH} characters, as a live key`;
  return null;
}

/** The longest key the live path takes (graphql-idempotency's key format). */
const MAX_KEY_LENGTH = 255;
