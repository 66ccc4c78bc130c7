import 'reflect-metadata';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { StatementCounter } from '../../bench/harness/statement-counter';
import type { SemanticDuplicatePolicy } from '../../src/config/semantic-duplicate-policy';
import { survivingDroppedConnections } from '../../src/db/dropped-connections';
import { poolTransactions } from '../../src/db/transactions';
import type { Transactions } from '../../src/db/transactions';
import { staticDuplicateRule } from '../../src/orders/duplicate-decision';
import { cartSignature } from '../../src/dedupe/cart-signature';
import { runOrderTransaction } from '../../src/orders/order-write';
import { RecentCarts } from '../../src/orders/recent-carts';
import { InsufficientStock } from '../../src/orders/results/insufficient-stock.type';
import type { OrderWrite } from '../../src/orders/order-write';
import { SalesChannel } from '../../src/sales-channel/sales-channel.type';
import { seedProducts, stockOf } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * runOrderTransaction: a quiet order (new key, nothing of the customer's to compare or settle) in
 * one message with its COMMIT; an order that is not quiet writes nothing in that message and runs
 * the full transaction after it. Counted on the wire (a proxy in front of PostgreSQL).
 */
let db: TestDatabase;
let counter: StatementCounter;
let pool: pg.Pool;

const WINDOW_MS = 600_000;

beforeAll(async () => {
  db = await createTestDatabase('order_transaction');
  await seedProducts(db.url, [{ sku: 'QUIET-A', priceCents: 300, stock: 50 }]);
  const proxy = await StatementCounter.start(db.url);
  counter = proxy.counter;
  pool = survivingDroppedConnections(new pg.Pool({ connectionString: proxy.url, max: 4 }));
});

afterAll(async () => {
  await pool?.end();
  await counter?.close();
  await db?.drop();
});

function orderWrite(
  customerId: string,
  key: string,
  quantity: number,
  policy: SemanticDuplicatePolicy = 'HOLD',
): OrderWrite {
  return {
    customerId,
    idempotencyKey: key,
    // The request's own: a retry of a key sends the same content (another would be the key reused).
    fingerprint: createHash('sha256').update(`${key}:${quantity}`).digest('hex'),
    request: { currency: 'EUR', channel: SalesChannel.WEB, lines: [{ sku: 'QUIET-A', quantity }] },
    orderTokenId: null,
    policy,
    windowMs: WINDOW_MS,
    decide: staticDuplicateRule('HOLD', WINDOW_MS),
    confirmed: false,
    audit: { requestId: `request-${key}`, claim: 'none', startedAt: performance.now() },
  };
}

/** Messages sent between BEGIN and COMMIT (both included), and how many transactions they made. */
function takeMessages(): { messages: number; transactions: number } {
  const texts = counter.takeTexts().filter((text) => !/^(SELECT 1|SET |SHOW |PREPARE )/.test(text));
  return { messages: texts.length, transactions: texts.filter((text) => /(^|; )COMMIT$/.test(text)).length };
}

async function rowsOf(customerId: string): Promise<{ orders: number; items: number; held: number; audit: string[] }> {
  const [orders] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "Order" WHERE "customerId" = $1', [
    customerId,
  ]);
  const [items] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM "OrderItem" i JOIN "Order" o ON o."id" = i."orderId" WHERE o."customerId" = $1',
    [customerId],
  );
  const [held] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "HeldOrder" WHERE "customerId" = $1', [
    customerId,
  ]);
  const audit = await db.query<{ outcome: string }>(
    'SELECT "outcome" FROM "IdempotencyAuditEvent" WHERE "customerId" = $1 ORDER BY "at"',
    [customerId],
  );
  return { orders: orders.n, items: items.n, held: held.n, audit: audit.map((row) => row.outcome) };
}

describe('runOrderTransaction', () => {
  // One for the file, as a server has one: it knows what each connection has prepared.
  let shared: Transactions | undefined;
  const transactions = () => (shared ??= poolTransactions(pool));

  it('places a quiet order in one message, COMMIT included', async () => {
    counter.takeTexts();
    const outcome = await runOrderTransaction(transactions(), orderWrite('quiet-1', 'quiet-key-1', 2));
    expect(outcome.kind).toBe('created');
    expect(takeMessages()).toEqual({ messages: 1, transactions: 1 });
    expect(await rowsOf('quiet-1')).toEqual({ orders: 1, items: 1, held: 0, audit: ['created'] });
  });

  it('answers a repeat of the key as existing in that message, writing nothing', async () => {
    const stock = await stockOf(db, 'QUIET-A');
    counter.takeTexts();
    const outcome = await runOrderTransaction(transactions(), orderWrite('quiet-1', 'quiet-key-1', 2));
    expect(outcome.kind).toBe('existing');
    expect(takeMessages()).toEqual({ messages: 1, transactions: 1 });
    expect(await rowsOf('quiet-1')).toEqual({ orders: 1, items: 1, held: 0, audit: ['created'] });
    expect(await stockOf(db, 'QUIET-A')).toBe(stock);
  });

  it('runs the full transaction for an order with a candidate, after a first message that wrote nothing', async () => {
    await runOrderTransaction(transactions(), orderWrite('quiet-2', 'quiet-key-2', 3));
    const stock = await stockOf(db, 'QUIET-A');
    counter.takeTexts();
    // The same cart again with a new key: today's rule holds it.
    const outcome = await runOrderTransaction(transactions(), orderWrite('quiet-2', 'quiet-key-3', 3));
    expect(outcome.kind).toBe('held');
    // The quiet attempt (one message, committed empty), then the full transaction: BEGIN with the
    // insert and the lookup, the candidate read and the hold (holdOrder), COMMIT.
    expect(takeMessages()).toEqual({ messages: 5, transactions: 2 });
    expect(await rowsOf('quiet-2')).toEqual({
      orders: 1,
      items: 1,
      held: 1,
      audit: ['created', 'possible_duplicate_held'],
    });
    expect(await stockOf(db, 'QUIET-A')).toBe(stock);
  });

  it('sends an order whose cart this process placed lately straight to the full transaction', async () => {
    const recent = new RecentCarts();
    await runOrderTransaction(transactions(), orderWrite('quiet-5', 'quiet-key-7', 4), recent);
    expect(recent.placedWithin('quiet-5', cartSignature(orderWrite('quiet-5', 'any', 4).request), WINDOW_MS)).toBe(
      true,
    );
    counter.takeTexts();
    const outcome = await runOrderTransaction(transactions(), orderWrite('quiet-5', 'quiet-key-8', 4), recent);
    expect(outcome.kind).toBe('held');
    // No attempt in one message first: BEGIN with the insert and the lookup, the candidate read,
    // the hold, COMMIT.
    expect(takeMessages()).toEqual({ messages: 4, transactions: 1 });
    expect(await rowsOf('quiet-5')).toEqual({
      orders: 1,
      items: 1,
      held: 1,
      audit: ['created', 'possible_duplicate_held'],
    });
    // Another cart of the same customer is still tried in one message.
    counter.takeTexts();
    expect((await runOrderTransaction(transactions(), orderWrite('quiet-5', 'quiet-key-9', 5), recent)).kind).toBe(
      'created',
    );
    expect(takeMessages()).toEqual({ messages: 1, transactions: 1 });
  });

  it('settles the held order of its key through the full transaction, also when its candidate is gone', async () => {
    const first = await runOrderTransaction(transactions(), orderWrite('quiet-6', 'quiet-key-10', 6));
    expect(await runOrderTransaction(transactions(), orderWrite('quiet-6', 'quiet-key-11', 6))).toMatchObject({
      kind: 'held',
    });
    // The candidate is cancelled: the held key, sent again, has nothing to compare, but a held order to settle.
    await db.query(`UPDATE "Order" SET "status" = 'CANCELLED' WHERE "id" = $1::uuid`, [
      first.kind === 'created' ? first.order.id : '',
    ]);
    counter.takeTexts();
    const again = await runOrderTransaction(transactions(), orderWrite('quiet-6', 'quiet-key-11', 6));
    expect(again.kind).toBe('created');
    // The attempt in one message wrote nothing; the full transaction settled the held order with the new one.
    expect(takeMessages().transactions).toBe(2);
    const held = await db.query<{ status: string; orderId: string }>(
      `SELECT "status", "orderId" FROM "HeldOrder" WHERE "customerId" = 'quiet-6'`,
    );
    expect(held).toEqual([{ status: 'PLACED', orderId: again.kind === 'created' ? again.order.id : null }]);
  });

  it('places an order without a semantic policy in one message, with no lookup', async () => {
    await runOrderTransaction(transactions(), orderWrite('quiet-3', 'quiet-key-4', 1, 'OFF'));
    counter.takeTexts();
    const outcome = await runOrderTransaction(transactions(), orderWrite('quiet-3', 'quiet-key-5', 1, 'OFF'));
    expect(outcome.kind).toBe('created');
    const texts = counter.takeTexts().filter((text) => text.startsWith('BEGIN'));
    expect(texts).toHaveLength(1);
    expect(texts[0]).not.toMatch(/lookup AS|pg_advisory_xact_lock/);
    expect(await rowsOf('quiet-3')).toMatchObject({ orders: 2, items: 2, held: 0 });
  });

  it('without a semantic policy, holds a held key sent again (its insert stopped at it) under the customer lock', async () => {
    const placed = await runOrderTransaction(transactions(), orderWrite('quiet-7', 'quiet-key-12', 7));
    const held = await runOrderTransaction(transactions(), orderWrite('quiet-7', 'quiet-key-13', 7));
    expect(held.kind).toBe('held');
    const stock = await stockOf(db, 'QUIET-A');
    counter.takeTexts();
    const again = await runOrderTransaction(transactions(), orderWrite('quiet-7', 'quiet-key-13', 7, 'OFF'));
    expect(again).toMatchObject({ kind: 'held', heldOrder: { id: held.kind === 'held' ? held.heldOrder.id : '' } });
    // The message that placed nothing, the question whether it retries that held request, then the
    // full transaction: BEGIN with the locking insert and the lookup, the candidate read, the hold, COMMIT.
    expect(takeMessages()).toEqual({ messages: 6, transactions: 3 });
    expect(await stockOf(db, 'QUIET-A')).toBe(stock);

    // A repeat of a placed key pays the question once, and no lock.
    counter.takeTexts();
    const repeat = await runOrderTransaction(transactions(), orderWrite('quiet-7', 'quiet-key-12', 7, 'OFF'));
    expect(repeat.kind).toBe('existing');
    expect(takeMessages()).toEqual({ messages: 2, transactions: 2 });
    expect(placed.kind).toBe('created');
    expect(await rowsOf('quiet-7')).toMatchObject({ orders: 1, held: 1 });
  });

  it('without a semantic policy, places a confirmation with no held order in one message, under the customer lock', async () => {
    counter.takeTexts();
    const write = { ...orderWrite('quiet-8', 'quiet-key-14', 1, 'OFF'), confirmed: true };
    expect((await runOrderTransaction(transactions(), write)).kind).toBe('created');
    const texts = counter.takeTexts().filter((text) => text.startsWith('BEGIN'));
    expect(texts).toHaveLength(1);
    // The lock: a confirmation settles the held orders it confirms (none here), as under a semantic policy.
    expect(texts[0]).toMatch(/pg_advisory_xact_lock/);
    expect(await rowsOf('quiet-8')).toMatchObject({ orders: 1, items: 1, held: 0 });
  });

  it('refuses an order short of stock in that message, leaving nothing behind', async () => {
    const stock = await stockOf(db, 'QUIET-A');
    counter.takeTexts();
    const outcome = await runOrderTransaction(transactions(), orderWrite('quiet-4', 'quiet-key-6', stock + 1));
    expect(outcome).toMatchObject({ kind: 'rejected', answer: { sku: 'QUIET-A', available: stock } });
    expect(outcome.kind === 'rejected' && outcome.answer).toBeInstanceOf(InsufficientStock);
    expect(takeMessages()).toEqual({ messages: 1, transactions: 1 });
    expect(await rowsOf('quiet-4')).toEqual({ orders: 0, items: 0, held: 0, audit: [] });
    expect(await stockOf(db, 'QUIET-A')).toBe(stock);
  });
});
