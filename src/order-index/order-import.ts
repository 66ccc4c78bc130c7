import type { PrismaClient } from '../db/prisma';
import { parseOrderRequest } from '../orders/order-request';
import type { ParsedOrderRequest } from '../orders/order-request';
import { ImportWriter } from './import-writer';
import type { ReadyOrder } from './import-writer';
import { parseOrderRecordLine } from './order-record';
import type { OrderRecord } from './order-record';

/** Options of an import run. */
export interface ImportOptions {
  /**
   * Lines written per statement. Default 100. Larger batches are barely faster but cost memory:
   * Prisma keeps the parameters of its last 100 queries for its error reports, so the batch's
   * JSON is held a hundred times over (batches of 500 peaked at ~580 MB on 100,000 orders).
   */
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

/**
 * Imports historical orders (one order-record JSON per line) with their own createdAt. Idempotent:
 * an order whose (channel, externalId) is stored already is skipped (ON CONFLICT DO NOTHING), so
 * the same file twice imports nothing new; a new one whose idempotency key the customer already
 * used is rejected (import-writer.ts). Bad lines are reported with their numbers and the good
 * ones imported. History does not move stock: those orders were fulfilled in their own systems.
 *
 * Reading and writing overlap: while one batch is written (one statement, import-writer.ts), the
 * next is parsed and validated, so the database and this process work at the same time. At most
 * one batch is in flight, which bounds memory to two batches.
 */
export async function importOrders(
  prisma: PrismaClient,
  lines: AsyncIterable<string>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const batchSize = options.batchSize ?? 100;
  const maxRejections = options.maxReportedRejections ?? 1_000;
  const result: ImportResult = { lines: 0, imported: 0, alreadyImported: 0, rejectedCount: 0, rejections: [] };
  const reject = (line: number, problem: string) => {
    result.rejectedCount += 1;
    if (result.rejections.length < maxRejections) result.rejections.push({ line, problem });
  };
  const writer = new ImportWriter(prisma);
  // The batch being written while the next one is read (in an object: TypeScript does not follow
  // assignments made inside `flush`, and would take a plain variable for always null below).
  const writing: { inFlight: Promise<void> | null } = { inFlight: null };
  let batch: ReadyOrder[] = [];

  const flush = async () => {
    const { rows, refused } = await writer.prepare(batch);
    for (const { line, problem } of refused) reject(line, problem);
    batch = [];
    if (writing.inFlight) await writing.inFlight;
    const linesRead = result.lines;
    writing.inFlight = writer.write(rows).then((written) => {
      for (const { line, problem } of written.refused) reject(line, problem);
      result.imported += written.imported;
      result.alreadyImported += rows.length - written.imported - written.refused.length;
      options.onProgress?.(linesRead);
    });
    // Observed when awaited; this only keeps a failure from counting as unhandled meanwhile.
    writing.inFlight.catch(() => undefined);
  };

  for await (const text of lines) {
    const line = ++result.lines;
    if (text.trim().length === 0) continue;
    const parsed = parseOrderRecordLine(text);
    if ('problem' in parsed) {
      reject(line, parsed.problem);
      continue;
    }
    const request = requestOf(parsed.record);
    if (!request.ok) {
      reject(line, `${request.field}: ${request.message}`);
      continue;
    }
    batch.push({ line, record: parsed.record, request: request.request });
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  if (writing.inFlight) await writing.inFlight;
  // Fresh planner statistics for what was just written: without them the scan's queries are
  // costed as if every order had a thousand lines (and compiled with JIT, ten times slower).
  if (result.imported > 0) await prisma.$executeRaw`ANALYZE "Order", "OrderItem"`;
  // Unknown SKUs, other currencies and taken keys are found when a batch is prepared or written,
  // after the batch's other rejections: report in line order.
  result.rejections.sort((a, b) => a.line - b.line);
  return result;
}

/**
 * The record as an order request. History may lack a postcode (countries without them, older
 * systems) where the live input requires one: such a record is checked as if it had one and
 * stored with an empty postcode, which the matcher reads as "not given".
 */
function requestOf(record: OrderRecord): ParsedOrderRequest {
  const address = record.shippingAddress ?? null;
  const withoutPostcode = address !== null && address.postalCode.trim() === '';
  const parsed = parseOrderRequest({
    items: record.items,
    currency: record.currency,
    channel: record.channel,
    shippingAddress: withoutPostcode ? { ...address, postalCode: '-' } : address,
  });
  if (parsed.ok && withoutPostcode) parsed.request.shippingAddress!.postalCode = '';
  return parsed;
}
