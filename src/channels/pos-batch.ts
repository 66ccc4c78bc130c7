import { createHash } from 'node:crypto';
import { MAX_CUSTOMER_ID_LENGTH } from '../auth/viewer';
import { normalizeSku } from '../catalog/sku';
import { DuplicateDetected } from '../orders/results/duplicate-detected.type';
import { InsufficientStock } from '../orders/results/insufficient-stock.type';
import { OrderCreated } from '../orders/results/order-created.type';
import type { CreateOrderResult } from '../orders/results/create-order-result.union';
import { PossibleDuplicate } from '../orders/results/possible-duplicate.type';
import { RequestInProgress } from '../orders/results/request-in-progress.type';
import { ValidationFailed } from '../orders/results/validation-failed.type';
import { SalesChannel } from '../sales-channel/sales-channel.type';
import { problemOf } from './channel-answers';
import type { ChannelGate } from './channel-gate';
import type { ChannelOrder } from './channel-order';
import type { ChannelRequest } from './channel-request-context';
import type { LineProblem, PosFile, PosReceipt } from './pos-file';

/** Counts of a batch so far: what the upload's progress lines and its report say. */
export interface PosTally {
  /** Receipts in the file, bad ones included. */
  receipts: number;
  /** Receipts answered so far (those left out for bad lines count from the start). */
  done: number;
  created: number;
  /** Already placed (a re-upload, or the other of two uploads at once). */
  duplicates: number;
  /** Possible duplicates held by the POS policy: nothing created. */
  held: number;
  /** Left out: bad lines, or refused when placed (unknown SKU, stock, a receipt number reused for other items). */
  rejected: number;
  /** Still being placed by a concurrent upload when this one gave up waiting: upload again to learn the outcome. */
  inProgress: number;
  /** Failed unexpectedly (logged with the request id): upload again. */
  failed: number;
}

/** A receipt not placed, with its lines and why. */
export interface ReceiptOutcome {
  store: string;
  receipt: string;
  lines: number[];
  reason: string;
  /** For a held receipt: the equivalent recent order. */
  candidateOrderId?: string;
  /** For a held receipt: the held order an admin can release or dismiss. */
  heldOrderId?: string;
}

export interface PosReport extends PosTally {
  /** Lines after the header. */
  lines: number;
  /** Every bad line: the file's own problems and items the placement refused. */
  problems: LineProblem[];
  /** Receipts rejected, held, still in progress or failed. */
  notPlaced: ReceiptOutcome[];
}

/** Bad lines, and receipts not placed, that a report lists at most (each): the rest are counted. */
export const REPORT_LIST_LIMIT = 10_000;

/** A report as an upload answers it: its lists cut at `limit` entries each, the rest counted. */
export interface ListedPosReport extends PosReport {
  /** Bad lines past the first `limit`, not listed in `problems`. */
  problemsNotListed: number;
  /** Receipts not placed past the first `limit`, not listed in `notPlaced`. */
  notPlacedNotListed: number;
}

/**
 * The report with its lists cut at `limit` entries each: naming every bad line, a file of 300 000
 * of them answered a 44.5 MiB report; 10 000 entries are about 1.5 MB, and the counts stay exact.
 */
export function listedReport(report: PosReport, limit = REPORT_LIST_LIMIT): ListedPosReport {
  return {
    ...report,
    problems: report.problems.slice(0, limit),
    problemsNotListed: Math.max(0, report.problems.length - limit),
    notPlaced: report.notPlaced.slice(0, limit),
    notPlacedNotListed: Math.max(0, report.notPlaced.length - limit),
  };
}

export interface PosBatchOptions {
  /** Receipts placed at the same time. */
  concurrency: number;
  /** Called after every receipt. */
  onProgress?: (tally: PosTally) => void;
  /** Asked before each receipt: true stops the batch (the uploader went away; a re-upload finishes it). */
  stopped?: () => boolean;
}

/**
 * Places the good receipts of a POS file through the gate, each on its own (one order per receipt,
 * all of it or nothing), `concurrency` at a time. Identity (store, receipt): a re-upload, or two
 * uploads at once, creates each receipt once; a receipt a concurrent upload is placing is waited for.
 */
export async function placeReceipts(
  gate: ChannelGate,
  file: PosFile,
  request: ChannelRequest,
  options: PosBatchOptions,
): Promise<PosReport> {
  const badLines = new Set(file.problems.map((problem) => problem.line));
  const spoiled = file.spoiled.map(({ store, receipt, lines }) => ({
    store,
    receipt,
    lines,
    reason: `bad lines: ${lines.filter((line) => badLines.has(line)).join(', ')}`,
  }));
  const report: PosReport = {
    lines: file.lines,
    receipts: file.receipts.length + spoiled.length,
    done: spoiled.length,
    created: 0,
    duplicates: 0,
    held: 0,
    rejected: spoiled.length,
    inProgress: 0,
    failed: 0,
    problems: [...file.problems],
    notPlaced: spoiled,
  };
  let next = 0;
  const worker = async () => {
    while (next < file.receipts.length && !options.stopped?.()) {
      const receipt = file.receipts[next++];
      const counter = await placeOne(gate, receipt, request, report);
      // Counted with `done`, in one step: another worker's receipt may finish while this one's
      // await resumes, and a progress line must never show more outcomes than receipts done.
      report[counter] += 1;
      report.done += 1;
      options.onProgress?.(report);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  report.problems.sort((a, b) => a.line - b.line);
  return report;
}

/** The counter of the tally a receipt's outcome adds to. */
type OutcomeCounter = 'created' | 'duplicates' | 'held' | 'rejected' | 'inProgress' | 'failed';

/** Places one receipt; records why it was not placed in the report, and answers which outcome to count. */
async function placeOne(
  gate: ChannelGate,
  receipt: PosReceipt,
  request: ChannelRequest,
  report: PosReport,
): Promise<OutcomeCounter> {
  const outcome = (reason: string, extra: Partial<ReceiptOutcome> = {}) => {
    report.notPlaced.push({
      store: receipt.store,
      receipt: receipt.receipt,
      lines: receipt.lines.map((line) => line.line),
      reason,
      ...extra,
    });
  };
  let result: CreateOrderResult;
  try {
    result = await gate.placeSettled(channelOrderOf(receipt), request);
  } catch (error) {
    request.logger.error({ err: error, store: receipt.store, receipt: receipt.receipt }, 'POS receipt failed');
    outcome(`failed unexpectedly (request ${request.requestId}): upload again`);
    return 'failed';
  }
  if (result instanceof OrderCreated) return 'created';
  if (result instanceof DuplicateDetected) return 'duplicates';
  if (result instanceof PossibleDuplicate) {
    const held = result.heldOrderId ? { heldOrderId: result.heldOrderId } : {};
    outcome('held as a possible duplicate of a recent order', { candidateOrderId: result.candidate.id, ...held });
    return 'held';
  }
  if (result instanceof RequestInProgress) {
    outcome('still being placed by another upload: upload again to see its outcome');
    return 'inProgress';
  }
  const problem = problemOf(result);
  const field = problem?.extra?.['field'];
  const reason =
    typeof field === 'string' && field !== '' ? `${field}: ${problem?.detail}` : (problem?.detail ?? 'refused');
  outcome(reason);
  for (const line of linesBlamed(receipt, result))
    report.problems.push({ line, store: receipt.store, receipt: receipt.receipt, reason });
  return 'rejected';
}

/** The POS order of a receipt: a loyalty customer's, else one walk-in customer per receipt (whose baskets are unrelated). */
function channelOrderOf(receipt: PosReceipt): ChannelOrder {
  return {
    channel: SalesChannel.POS,
    customerId: receipt.customer ?? walkInCustomerId(receipt.store, receipt.receipt),
    identity: { external: { source: receipt.store, externalId: receipt.receipt } },
    content: { currency: receipt.currency, items: receipt.lines.map(({ sku, quantity }) => ({ sku, quantity })) },
  };
}

/**
 * The walk-in customer of one receipt: `walk-in:<store>:<receipt>`, readable in the database and
 * the audit log. A store or receipt holding a `:` would make two receipts one customer (store
 * `shop:a` receipt `R1`, store `shop` receipt `a:R1`), and so one a possible duplicate of the
 * other; such a pair, or one too long for a customer id, is hashed instead, as externalKey does:
 * `walk-in.sha256:<hex>`, which no readable id can equal (those continue with `:`).
 */
export function walkInCustomerId(store: string, receipt: string): string {
  const readable = `walk-in:${store}:${receipt}`;
  if (!store.includes(':') && !receipt.includes(':') && readable.length <= MAX_CUSTOMER_ID_LENGTH) return readable;
  // JSON of the pair: unambiguous whatever characters either part holds.
  return `walk-in.sha256:${createHash('sha256')
    .update(JSON.stringify([store, receipt]))
    .digest('hex')}`;
}

/** The lines a refusal names: an item's (`items[2].quantity`), or those of an out-of-stock SKU. */
function linesBlamed(receipt: PosReceipt, result: CreateOrderResult): number[] {
  if (result instanceof InsufficientStock)
    return receipt.lines.filter((line) => normalizeSku(line.sku) === result.sku).map((line) => line.line);
  const item = result instanceof ValidationFailed ? /^items\[(\d+)\]/.exec(result.field) : null;
  const line = item ? receipt.lines[Number(item[1])]?.line : undefined;
  return line === undefined ? [] : [line];
}
