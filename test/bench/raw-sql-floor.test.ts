import 'reflect-metadata';
import pg from 'pg';
import { StatementCounter } from '../../bench/harness/statement-counter';
import { placeRawOrder } from '../../bench/raw-sql';
import { survivingDroppedConnections } from '../../src/db/dropped-connections';
import { poolTransactions } from '../../src/db/transactions';
import { CreateOrderDocument } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postGraphQL, postOperation } from '../support/graphql-client';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

/**
 * The benchmark's raw-SQL floor must do the same work as the server's createOrder, or the
 * create / raw-sql ratio means nothing: both are watched on the wire, and the statements they
 * send PostgreSQL for one new order must be the same, in the same order.
 */
let db: TestDatabase;
let counter: StatementCounter;
let server: TestServer;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('raw_sql_floor');
  await seedProducts(db.url, [
    { sku: 'FLOOR-A', priceCents: 250, stock: 100 },
    { sku: 'FLOOR-B', priceCents: 90, stock: 100 },
    { sku: 'FLOOR-C', priceCents: 40, stock: 100 },
  ]);
  const proxy = await StatementCounter.start(db.url);
  counter = proxy.counter;
  // Audit batches (its own pool, same proxy) an hour apart: only the request's statements are seen.
  server = await startTestServer(proxy.url, 'raw-sql-floor', { AUDIT_FLUSH_INTERVAL_MS: '3600000' });
  pool = survivingDroppedConnections(new pg.Pool({ connectionString: proxy.url, max: 2 }));
});

afterAll(async () => {
  await pool?.end();
  await server?.stop();
  await counter?.close();
  await db?.drop();
});

/** Whitespace folded, and literals as '…': BEGIN's message carries the first statement's values written in. */
const normalised = (texts: string[]) =>
  texts.map((text) =>
    text
      .replace(/\s+/g, ' ')
      .replace(/'(?:[^']|'')*'/g, "'…'")
      .trim(),
  );
/** The order transaction: BEGIN to COMMIT. */
const transaction = (texts: string[]) =>
  texts.slice(
    texts.findIndex((text) => text.startsWith('BEGIN')),
    texts.findIndex((text) => /(^|; )COMMIT$/.test(text)) + 1,
  );

describe('the raw-SQL floor of `npm run bench`', () => {
  it('sends PostgreSQL the same statements as a createOrder, in the same order', async () => {
    const lines = [
      { sku: 'FLOOR-A', quantity: 2 },
      { sku: 'FLOOR-B', quantity: 1 },
    ];
    counter.takeTexts();
    const created = await postOperation(
      server.url,
      CreateOrderDocument,
      { key: 'floor-key-0001', input: { currency: 'EUR', items: lines } },
      { token: await server.tokenFor('floor-customer-1') },
    );
    expect(created.body.data?.createOrder.__typename).toBe('OrderCreated');
    const serverStatements = normalised(counter.takeTexts());

    // The floor runs with the server's transaction budget, so BEGIN's text is the same.
    const budgetMs = server.config.orderTransactionBudgetMs;
    await placeRawOrder(poolTransactions(pool, { budgetMs }), 'floor-customer-2', 'floor-key-0002', lines);
    const floorStatements = normalised(counter.takeTexts());

    // One round trip for a quiet order (a new key; nothing of the customer's to compare or
    // settle): BEGIN, the insert, and the products' statement, which asks for candidates and held
    // orders in its own snapshot and goes ahead only when there are none, then COMMIT.
    expect(transaction(serverStatements)).toHaveLength(1);
    const [message] = transaction(serverStatements);
    expect(message).toMatch(
      /^BEGIN; SET LOCAL statement_timeout = \d+; SET LOCAL lock_timeout = \d+; SET LOCAL client_connection_check_interval = \d+; INSERT INTO "Order" .* RETURNING "createdAt"; WITH quiet AS \(SELECT EXISTS \(SELECT 1 FROM "Order" .* AND NOT EXISTS \(SELECT 1 FROM "HeldOrder" .* AND NOT EXISTS \(SELECT 1 FROM "Order" o .*\) AS quiet\), locked AS .*; COMMIT$/,
    );
    // Both prepare the statements on a connection's first use (messages takeTexts leaves out): the transactions are the same.
    expect(transaction(floorStatements)).toEqual(transaction(serverStatements));
    // The hot rows are locked last: only the statement that commits locks the products.
    const statements = message.split(/; (?=[A-Z]{4,})/);
    const locking = statements.flatMap((text, index) => (/FROM "Product" .*FOR UPDATE/.test(text) ? [index] : []));
    expect(locking).toEqual([statements.length - 2]);
    expect(statements[statements.length - 1]).toBe('COMMIT');
    const [orders] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM "Order"');
    expect(orders.n).toBe(2);
  });

  it('answers with the products as the order left them, read in its transaction and not again after it', async () => {
    // FLOOR-C was never shown before: nothing in the catalog cache but what this order put there.
    counter.takeTexts();
    const response = await postGraphQL<{
      createOrder: {
        __typename: string;
        order: { items: { sku: string; product: { name: string; stock: number } }[] };
      };
    }>(
      server.url,
      `mutation ($key: String!, $input: CreateOrderInput!) {
        createOrder(idempotencyKey: $key, input: $input) {
          __typename
          ... on OrderCreated { order { items { sku product { name stock } } } }
        }
      }`,
      { key: 'floor-key-0003', input: { currency: 'EUR', items: [{ sku: 'FLOOR-C', quantity: 3 }] } },
      { token: await server.tokenFor('floor-customer-3') },
    );
    const texts = normalised(counter.takeTexts());
    expect(response.body.data?.createOrder.__typename).toBe('OrderCreated');
    const committedAt = texts.findIndex((text) => /(^|; )COMMIT$/.test(text));
    expect(committedAt).toBeGreaterThanOrEqual(0);
    expect(texts.slice(committedAt + 1)).toEqual([]);
    const [product] = await db.query<{ stock: number }>(`SELECT "stock" FROM "Product" WHERE "sku" = 'FLOOR-C'`);
    expect(product.stock).toBe(97);
    expect(response.body.data?.createOrder.order.items).toEqual([
      { sku: 'FLOOR-C', product: { name: 'FLOOR-C', stock: 97 } },
    ]);
  });
});
