import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Pool } from 'undici';
import { signViewerToken } from '../src/auth/jwt';
import type { BenchEnvironment } from './harness/bench-environment';
import { round, LatencyRecorder } from './load/latency';
import type { PointResult } from './load/latency';
import type { FlashSaleSettings } from './options';
import { placeMinimalOrder } from './raw-minimal';
import { CREATE_ORDER } from './scenarios';

/** Every third customer is a bot: it fires each request this many times at once. */
const BOT_COPIES = 3;
/** A bot gives up on an answer after this long and sends the same request again (ms). */
const BOT_TIMEOUT_MS = 2_000;
/** A person waits this long for an answer (ms). */
const PERSON_TIMEOUT_MS = 30_000;
/** How long a copy keeps resending after RequestInProgress or a timeout (ms), and how many times at most: bounds the event. */
const COPY_BUDGET_MS = 60_000;
const MAX_ATTEMPTS = 2_000;

/** One side of the event (the server, or the raw-SQL floor): how fast it sold out and what it answered. */
export interface FlashSaleSide {
  /** From the first request to the answer that named the last unit's order (ms); null if it never sold out. */
  soldOutMs: number | null;
  /** Orders per second until sold out. */
  ordersPerSec: number | null;
  /** Every request of the event, answered or timed out. */
  requests: PointResult;
  /** What the database holds afterwards, and what the clients were told. */
  checks: FlashSaleChecks;
}

/** What must hold after a flash sale; `passed` when all of it does. */
export interface FlashSaleChecks {
  /** Orders of the SKU in the database: exactly the stock. */
  orders: number;
  /** Units left: 0. */
  stockLeft: number;
  /** Units sold beyond the stock: 0. */
  oversold: number;
  /** (customer, key) pairs with more than one order: 0. */
  intentsWithTwoOrders: number;
  /** Intents some client of which was told something else than the database holds (another order, no order, no answer): 0. */
  intentsMisanswered: number;
  /** A few of them: what the database holds and what each client was told, to look into. */
  misansweredExamples: string[];
  passed: boolean;
}

export interface FlashSaleReport {
  settings: FlashSaleSettings & { bots: number; copiesPerBot: number };
  server: FlashSaleSide;
  rawFloor: FlashSaleSide;
  /** server orders/s over the raw floor's. */
  ordersPerSecOverRawFloor: number | null;
}

interface Intent {
  customerId: string;
  token: string;
  key: string;
  bot: boolean;
}

/** A client's last word on its intent. */
interface FinalAnswer {
  outcome: string;
  orderId?: string;
}

/**
 * The flash sale (`--scenarios flash-sale`): one SKU with `stock` units, `customers` intents of
 * one unit each, a third of them bots that send every request 3× at once and resend it on a
 * timeout; everyone resends after a RequestInProgress. Then the same intents (once each) through
 * the minimal raw transaction on a SKU of its own with the same stock: the floor.
 */
export async function runFlashSale(
  environment: BenchEnvironment,
  settings: FlashSaleSettings,
  poolSize: number,
  log: (line: string) => void,
): Promise<FlashSaleReport> {
  const runId = `${environment.fixtures.runId}-flash-${randomBytes(2).toString('hex')}`;
  const db = new pg.Pool({ connectionString: environment.databaseUrl, max: poolSize });
  try {
    // Upper case: the server stores SKUs normalised (src/catalog/sku.ts).
    const [serverSku, rawSku] = [`${runId}-SERVER`, `${runId}-RAW`].map((sku) => sku.toUpperCase());
    await seedFlashProducts(db, [serverSku, rawSku], settings.stock);
    const intents = await makeIntents(runId, settings.customers, environment.serverEnv.JWT_SECRET);
    const server = await viaServer(environment.servers.main.url, serverSku, intents, settings);
    server.checks = await checkSale(db, serverSku, settings.stock, server.finals);
    log(describe('flash-sale server', server));
    // Keys of their own: the floor's orders are new intents, not repeats of the server's.
    const rawIntents = intents.map((intent) => ({ ...intent, key: `${intent.key}-raw` }));
    const rawFloor = await viaRawFloor(db, rawSku, rawIntents, settings);
    rawFloor.checks = await checkSale(db, rawSku, settings.stock, rawFloor.finals);
    log(describe('flash-sale raw floor', rawFloor));
    const ratio =
      server.ordersPerSec && rawFloor.ordersPerSec ? round(server.ordersPerSec / rawFloor.ordersPerSec) : null;
    return {
      settings: { ...settings, bots: intents.filter((intent) => intent.bot).length, copiesPerBot: BOT_COPIES },
      server: sideOf(server),
      rawFloor: sideOf(rawFloor),
      ordersPerSecOverRawFloor: ratio,
    };
  } finally {
    await db.end();
  }
}

type MeasuredSide = FlashSaleSide & { finals: Map<Intent, FinalAnswer[]> };

function sideOf({ finals: _finals, ...side }: MeasuredSide): FlashSaleSide {
  return side;
}

async function seedFlashProducts(db: pg.Pool, skus: string[], stock: number): Promise<void> {
  await db.query(
    `INSERT INTO "Product" ("id", "sku", "name", "priceCents", "currency", "stock", "updatedAt")
     SELECT gen_random_uuid(), sku, 'Flash sale ' || sku, 4999, 'EUR', $2, now() FROM unnest($1::text[]) AS s(sku)`,
    [skus, stock],
  );
}

async function makeIntents(runId: string, customers: number, jwtSecret: string): Promise<Intent[]> {
  return Promise.all(
    Array.from({ length: customers }, async (_, index) => {
      const customerId = `${runId}-customer-${index}`;
      return {
        customerId,
        token: await signViewerToken({ customerId, role: 'customer' }, jwtSecret, { expiresIn: '2h' }),
        key: `${runId}-intent-${index}`,
        bot: index % 3 === 2,
      };
    }),
  );
}

/**
 * Serves the intents in order, `connections` customers at a time: each worker takes the next
 * customer when its last one has its answer. Tracks when the last unit's order was first named.
 */
async function serveIntents(
  intents: readonly Intent[],
  connections: number,
  stock: number,
  serve: (intent: Intent) => Promise<FinalAnswer[]>,
): Promise<{ finals: Map<Intent, FinalAnswer[]>; soldOutMs: number | null }> {
  const finals = new Map<Intent, FinalAnswer[]>();
  const orders = new Set<string>();
  let soldOutMs: number | null = null;
  let next = 0;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < intents.length) {
        const intent = intents[next++];
        const answers = await serve(intent);
        finals.set(intent, answers);
        for (const answer of answers) if (answer.orderId) orders.add(answer.orderId);
        if (soldOutMs === null && orders.size >= stock) soldOutMs = performance.now() - startedAt;
      }
    }),
  );
  return { finals, soldOutMs };
}

async function viaServer(
  url: string,
  sku: string,
  intents: readonly Intent[],
  settings: FlashSaleSettings,
): Promise<MeasuredSide> {
  const pool = new Pool(url, { connections: settings.connections * BOT_COPIES, pipelining: 1 });
  const recorder = new LatencyRecorder();
  const startedAt = performance.now();
  try {
    const input = { currency: 'EUR', items: [{ sku, quantity: 1 }] };
    const serve = (intent: Intent) => {
      const body = JSON.stringify({ query: CREATE_ORDER, variables: { key: intent.key, input } });
      const copy = () => untilFinal(pool, body, intent, recorder);
      return Promise.all(Array.from({ length: intent.bot ? BOT_COPIES : 1 }, copy));
    };
    const { finals, soldOutMs } = await serveIntents(intents, settings.connections, settings.stock, serve);
    return measured(finals, soldOutMs, settings.stock, recorder.result(performance.now() - startedAt));
  } finally {
    await pool.destroy();
  }
}

/** One client copy: sends until it gets a final answer (RequestInProgress waits and resends; a bot resends on its timeout). */
async function untilFinal(pool: Pool, body: string, intent: Intent, recorder: LatencyRecorder): Promise<FinalAnswer> {
  const startedAt = performance.now();
  for (let attempt = 0; attempt < MAX_ATTEMPTS && performance.now() - startedAt < COPY_BUDGET_MS; attempt += 1) {
    const sentAt = performance.now();
    const answer = await send(pool, body, intent);
    recorder.record(performance.now() - sentAt, answer.outcome, answer.outcome !== 'graphql-error');
    if (answer.outcome === 'timeout' && !intent.bot) return answer;
    if (answer.outcome !== 'RequestInProgress' && answer.outcome !== 'timeout') return answer;
    if (answer.retryAfterMs) await sleep(answer.retryAfterMs);
  }
  return { outcome: 'gave up' };
}

async function send(pool: Pool, body: string, intent: Intent): Promise<FinalAnswer & { retryAfterMs?: number }> {
  const timeoutMs = intent.bot ? BOT_TIMEOUT_MS : PERSON_TIMEOUT_MS;
  try {
    const response = await pool.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${intent.token}` },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const parsed = (await response.body.json()) as {
      data?: { createOrder?: CreateOrderAnswer };
      errors?: unknown[];
    };
    const answer = parsed.data?.createOrder;
    if (response.statusCode !== 200 || parsed.errors || !answer) return { outcome: 'graphql-error' };
    return {
      outcome: answer.__typename,
      orderId: answer.order?.id ?? answer.originalOrder?.id,
      retryAfterMs: answer.retryAfterMs,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    return { outcome: code.includes('TIMEOUT') ? 'timeout' : `error: ${code || String(error).slice(0, 60)}` };
  }
}

interface CreateOrderAnswer {
  __typename: string;
  order?: { id: string };
  originalOrder?: { id: string };
  retryAfterMs?: number;
}

/** The floor: each intent once, through the minimal raw transaction, on the server's pool size. */
async function viaRawFloor(
  db: pg.Pool,
  sku: string,
  intents: readonly Intent[],
  settings: FlashSaleSettings,
): Promise<MeasuredSide> {
  const recorder = new LatencyRecorder();
  const startedAt = performance.now();
  const serve = async (intent: Intent): Promise<FinalAnswer[]> => {
    const sentAt = performance.now();
    const outcome = await placeMinimalOrder(db, intent.customerId, intent.key, { sku, quantity: 1 });
    const answer: FinalAnswer =
      outcome.kind === 'created'
        ? { outcome: 'OrderCreated', orderId: outcome.orderId }
        : { outcome: 'InsufficientStock' };
    recorder.record(performance.now() - sentAt, answer.outcome, true);
    return [answer];
  };
  const { finals, soldOutMs } = await serveIntents(intents, settings.connections, settings.stock, serve);
  return measured(finals, soldOutMs, settings.stock, recorder.result(performance.now() - startedAt));
}

function measured(
  finals: Map<Intent, FinalAnswer[]>,
  soldOutMs: number | null,
  stock: number,
  requests: PointResult,
): MeasuredSide {
  return {
    finals,
    soldOutMs: soldOutMs === null ? null : round(soldOutMs),
    ordersPerSec: soldOutMs === null ? null : round(stock / (soldOutMs / 1000)),
    requests,
    checks: {
      orders: 0,
      stockLeft: -1,
      oversold: 0,
      intentsWithTwoOrders: 0,
      intentsMisanswered: 0,
      misansweredExamples: [],
      passed: false,
    },
  };
}

/** The answers a winner's clients may end with. */
const NAMING_THE_ORDER = new Set(['OrderCreated', 'DuplicateDetected']);

/** Reads the database after the sale and holds every client's final answer against it. */
async function checkSale(
  db: pg.Pool,
  sku: string,
  stock: number,
  finals: Map<Intent, FinalAnswer[]>,
): Promise<FlashSaleChecks> {
  const orders = await db.query<{ customerId: string; idempotencyKey: string; id: string; quantity: number }>(
    `SELECT o."customerId", o."idempotencyKey", o."id", i."quantity"
       FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o."id" WHERE i."sku" = $1`,
    [sku],
  );
  const [product] = (await db.query<{ stock: number }>(`SELECT "stock" FROM "Product" WHERE "sku" = $1`, [sku])).rows;
  const byIntent = new Map<string, string[]>();
  for (const row of orders.rows) {
    const intentId = `${row.customerId}\u0000${row.idempotencyKey}`;
    byIntent.set(intentId, [...(byIntent.get(intentId) ?? []), row.id]);
  }
  const units = orders.rows.reduce((sum, row) => sum + row.quantity, 0);
  let intentsMisanswered = 0;
  const misansweredExamples: string[] = [];
  for (const [intent, answers] of finals) {
    const own = byIntent.get(`${intent.customerId}\u0000${intent.key}`) ?? [];
    const told =
      own.length === 1
        ? answers.every((answer) => NAMING_THE_ORDER.has(answer.outcome) && answer.orderId === own[0])
        : answers.every((answer) => answer.outcome === 'InsufficientStock');
    if (!told) {
      intentsMisanswered += 1;
      if (misansweredExamples.length < 3)
        misansweredExamples.push(
          `${intent.bot ? 'bot' : 'person'} ${intent.key}: orders [${own.join(', ')}], told ${answers.map((answer) => `${answer.outcome}${answer.orderId ? ` ${answer.orderId}` : ''}`).join('; ')}`,
        );
    }
  }
  const checks = {
    orders: orders.rowCount ?? 0,
    stockLeft: product.stock,
    oversold: Math.max(0, units - stock),
    intentsWithTwoOrders: [...byIntent.values()].filter((ids) => ids.length > 1).length,
    intentsMisanswered,
    misansweredExamples,
  };
  const passed =
    checks.orders === stock &&
    checks.stockLeft === 0 &&
    checks.oversold === 0 &&
    checks.intentsWithTwoOrders === 0 &&
    intentsMisanswered === 0;
  return { ...checks, passed };
}

function describe(label: string, side: MeasuredSide): string {
  const { p50, p99 } = side.requests.latencyMs;
  return `${label.padEnd(22)} sold out in ${side.soldOutMs === null ? '—' : `${(side.soldOutMs / 1000).toFixed(2)} s`}, ${side.ordersPerSec?.toFixed(0) ?? '—'} orders/s, p50 ${p50.toFixed(2)} p99 ${p99.toFixed(2)} ms, ${JSON.stringify(side.requests.outcomes)}, checks ${JSON.stringify(side.checks)}`;
}
