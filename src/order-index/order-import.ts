import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/prisma';
import { semanticFingerprint } from '../dedupe/order-matcher';
import { fingerprintOrderRequest, parseOrderRequest } from '../orders/order-request';
import type { OrderRequest } from '../orders/order-request';
import { parseOrderRecordLine } from './order-record';
import type { OrderRecord } from './order-record';

/** Options of an import run. */
export interface ImportOptions {
  /** Lines written per transaction. Default 500. */
  batchSize?: number;
  /** Rejections kept with their line numbers (the rest are only counted). Default 1 000. */
  maxReportedRejections?: number;
  /** Called after each batch with the number of lines read so far. */
  onProgress?: (linesRead: number) => void;
}

export interface ImportResult {
  lines: number;
  imported: number;
  /** Lines whose (channel, externalId) was already in the database. */
  alreadyImported: number;
  rejectedCount: number;
  rejections: { line: number; problem: string }[];
}

interface ReadyOrder {
  line: number;
  record: OrderRecord;
  request: OrderRequest;
}

interface ProductRow {
  id: string;
  sku: string;
  priceCents: number;
}

/**
 * Imports historical orders (one order-record JSON per line) with their own createdAt. Idempotent:
 * an order whose (channel, externalId) is stored already is skipped (ON CONFLICT DO NOTHING), so
 * the same file twice imports nothing new. Bad lines are reported with their numbers and the good
 * ones imported. History does not move stock: those orders were fulfilled in their own systems.
 */
export async function importOrders(prisma: PrismaClient, lines: AsyncIterable<string>, options: ImportOptions = {}): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 500;
  const maxRejections = options.maxReportedRejections ?? 1_000;
  const result: ImportResult = { lines: 0, imported: 0, alreadyImported: 0, rejectedCount: 0, rejections: [] };
  const reject = (line: number, problem: string) => {
    result.rejectedCount += 1;
    if (result.rejections.length < maxRejections) result.rejections.push({ line, problem });
  };
  let batch: ReadyOrder[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await writeBatch(prisma, batch, result, reject);
    batch = [];
    options.onProgress?.(result.lines);
  };

  for await (const text of lines) {
    const line = ++result.lines;
    if (text.trim().length === 0) continue;
    const parsed = parseOrderRecordLine(text);
    if ('problem' in parsed) {
      reject(line, parsed.problem);
      continue;
    }
    const { record } = parsed;
    const request = parseOrderRequest({ items: record.items, currency: record.currency, channel: record.channel, shippingAddress: record.shippingAddress ?? null });
    if (!request.ok) {
      reject(line, `${request.field}: ${request.message}`);
      continue;
    }
    batch.push({ line, record, request: request.request });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return result;
}

async function writeBatch(
  prisma: PrismaClient,
  batch: ReadyOrder[],
  result: ImportResult,
  reject: (line: number, problem: string) => void,
): Promise<void> {
  const skus = [...new Set(batch.flatMap((order) => order.request.lines.map((line) => line.sku)))];
  const products = await prisma.$queryRaw<ProductRow[]>`SELECT "id", "sku", "priceCents" FROM "Product" WHERE "sku" = ANY(${skus}::text[])`;
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const rows: ReturnType<typeof orderRow>[] = [];
  for (const order of batch) {
    const unknown = order.request.lines.find((line) => !bySku.has(line.sku));
    if (unknown) reject(order.line, `items: unknown SKU ${unknown.sku}`);
    else rows.push(orderRow(order, bySku));
  }
  if (rows.length === 0) return;
  await prisma.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Order" ("id", "customerId", "idempotencyKey", "fingerprint", "status", "channel", "currency", "totalCents",
                           "semanticFingerprint", "shippingAddress", "externalId", "createdAt", "updatedAt")
      SELECT *, now() FROM unnest(
        ${rows.map((row) => row.id)}::uuid[], ${rows.map((row) => row.customerId)}::text[], ${rows.map((row) => row.idempotencyKey)}::text[],
        ${rows.map((row) => row.fingerprint)}::text[], ${rows.map((row) => row.status)}::"OrderStatus"[],
        ${rows.map((row) => row.channel)}::"SalesChannel"[], ${rows.map((row) => row.currency)}::text[], ${rows.map((row) => row.totalCents)}::int[],
        ${rows.map((row) => row.semanticFingerprint)}::text[], ${rows.map((row) => row.shippingAddress)}::jsonb[],
        ${rows.map((row) => row.externalId)}::text[], ${rows.map((row) => row.createdAt)}::timestamptz[])
      ON CONFLICT DO NOTHING
      RETURNING "id"`;
    const insertedIds = new Set(inserted.map((row) => row.id));
    const items = rows.filter((row) => insertedIds.has(row.id)).flatMap((row) => row.items);
    if (items.length > 0) await tx.orderItem.createMany({ data: items });
    result.imported += insertedIds.size;
    result.alreadyImported += rows.length - insertedIds.size;
  });
}

function orderRow(order: ReadyOrder, bySku: Map<string, ProductRow>) {
  const { record, request } = order;
  const id = randomUUID();
  // The price charged then, when the record has it; otherwise today's catalog price.
  const givenPrice = new Map(record.items.filter((item) => item.unitPriceCents !== undefined).map((item) => [item.sku.trim().toUpperCase(), item.unitPriceCents!]));
  const items = request.lines.map((line) => ({
    orderId: id,
    productId: bySku.get(line.sku)!.id,
    sku: line.sku,
    quantity: line.quantity,
    unitPriceCents: givenPrice.get(line.sku) ?? bySku.get(line.sku)!.priceCents,
  }));
  return {
    id,
    customerId: record.customerId,
    // Keys are unique per customer: an invented one names its source, so it cannot meet a live key.
    idempotencyKey: record.idempotencyKey ?? `import:${record.channel}:${record.externalId}`,
    fingerprint: fingerprintOrderRequest(record.customerId, request),
    status: record.status ?? 'CONFIRMED',
    channel: record.channel,
    currency: request.currency,
    totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    semanticFingerprint: semanticFingerprint({ customerId: record.customerId, ...request }),
    shippingAddress: request.shippingAddress ? JSON.stringify(request.shippingAddress) : null,
    externalId: record.externalId,
    createdAt: new Date(record.createdAt),
    items,
  };
}
