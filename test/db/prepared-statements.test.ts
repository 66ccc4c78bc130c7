import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { StatementCounter } from '../../bench/harness/statement-counter';
import { survivingDroppedConnections } from '../../src/db/dropped-connections';
import { PreparedStatements } from '../../src/db/prepared-statements';
import { Prisma } from '../../src/db/prisma';
import { poolTransactions } from '../../src/db/transactions';
import { staticDuplicateRule } from '../../src/orders/duplicate-decision';
import { runOrderTransaction } from '../../src/orders/order-write';
import type { OrderWrite } from '../../src/orders/order-write';
import { SalesChannel } from '../../src/sales-channel/sales-channel.type';
import { seedProducts, stockOf } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * The order transaction's statements prepared on each connection (src/db/prepared-statements.ts):
 * PREPARE once per connection, EXECUTE in the one message from then on; the same rows as with the
 * values written in; and a connection whose statements went missing (a pooler in transaction mode)
 * turns preparing off and places its order once. Real PostgreSQL, seen on the wire through a proxy.
 */
let db: TestDatabase;
let counter: StatementCounter;
let proxyUrl: string;

const WINDOW_MS = 600_000;

beforeAll(async () => {
  db = await createTestDatabase('prepared_statements');
  await seedProducts(db.url, [
    { sku: 'PREP-A', priceCents: 250, stock: 1_000 },
    { sku: 'PREP-B', priceCents: 400, stock: 1_000 },
  ]);
  ({ counter, url: proxyUrl } = await StatementCounter.start(db.url));
});

afterAll(async () => {
  await counter?.close();
  await db?.drop();
});

/** A pool of one new connection through the proxy: every transaction of a test runs on that one session. */
function onePool(): pg.Pool {
  return survivingDroppedConnections(new pg.Pool({ connectionString: proxyUrl, max: 1 }));
}

function orderWrite(customerId: string, key: string): OrderWrite {
  return {
    customerId,
    idempotencyKey: key,
    fingerprint: randomBytes(32).toString('hex'),
    request: {
      currency: 'EUR',
      channel: SalesChannel.WEB,
      lines: [
        { sku: 'PREP-A', quantity: 2 },
        { sku: 'PREP-B', quantity: 1 },
      ],
    },
    orderTokenId: null,
    policy: 'HOLD',
    windowMs: WINDOW_MS,
    decide: staticDuplicateRule('HOLD', WINDOW_MS),
    confirmed: false,
    audit: { requestId: `request-${key}`, claim: 'none', startedAt: performance.now() },
  };
}

/** The transactions' messages as sent (EXECUTE as such), PREPAREs apart. */
function takeRaw(): { prepares: string[]; transactions: string[] } {
  const texts = counter.takeTexts({ raw: true }).filter((text) => !/^(SELECT 1|SET |SHOW )/.test(text));
  return {
    prepares: texts.filter((text) => /; PREPARE og_/.test(text)),
    transactions: texts.filter((text) => text.startsWith('BEGIN') && !/; PREPARE og_/.test(text)),
  };
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition never held');
}

async function orderRows(customerId: string) {
  return db.query<{ key: string; totalCents: number; items: number; audit: number }>(
    `SELECT o."idempotencyKey" AS key, o."totalCents",
            (SELECT count(*)::int FROM "OrderItem" i WHERE i."orderId" = o."id") AS items,
            (SELECT count(*)::int FROM "IdempotencyAuditEvent" a WHERE a."orderId" = o."id") AS audit
     FROM "Order" o WHERE o."customerId" = $1 ORDER BY o."createdAt"`,
    [customerId],
  );
}

describe('prepared statements of the order transaction', () => {
  it('prepares each statement once per connection, then sends EXECUTE in the one message', async () => {
    const pool = onePool();
    try {
      const transactions = poolTransactions(pool);
      counter.takeTexts();
      const outcomes = [];
      for (let index = 1; index <= 3; index++)
        outcomes.push(await runOrderTransaction(transactions, orderWrite(`prep-${index}`, `prep-key-${index}`)));
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(['created', 'created', 'created']);
      const { prepares, transactions: messages } = takeRaw();
      // The insert and the products' statement, prepared by the first order only.
      expect(prepares).toHaveLength(2);
      // Each in a transaction of its own, with the order transaction's time limits.
      expect(prepares[0]).toMatch(
        /^BEGIN; SET LOCAL statement_timeout = \d+; .*; PREPARE og_[0-9a-f]{24} AS\s+INSERT INTO "Order"/s,
      );
      expect(prepares[1]).toMatch(
        /^BEGIN; SET LOCAL statement_timeout = \d+; .*; PREPARE og_[0-9a-f]{24} AS\s+WITH quiet AS/s,
      );
      expect(prepares[1]).toMatch(/; COMMIT$/);
      expect(messages).toHaveLength(3);
      for (const message of messages) {
        expect(message).toMatch(/; EXECUTE og_[0-9a-f]{24}\(.*\); EXECUTE og_[0-9a-f]{24}\(.*\); COMMIT$/s);
        expect(message).not.toMatch(/INSERT INTO|FOR UPDATE/);
      }
      for (let index = 1; index <= 3; index++)
        expect(await orderRows(`prep-${index}`)).toEqual([
          { key: `prep-key-${index}`, totalCents: 900, items: 2, audit: 1 },
        ]);
    } finally {
      await pool.end();
    }
  });

  it('writes the same rows as with the values written in, and prepares nothing when turned off', async () => {
    const pool = onePool();
    try {
      // Quotes, a backslash and another script in the values: EXECUTE's literals are escaped as the inlined ones.
      const customer = `prep-o'brien\\ёж-${randomBytes(2).toString('hex')}`;
      const stock = await stockOf(db, 'PREP-A');
      counter.takeTexts();
      const prepared = await runOrderTransaction(poolTransactions(pool), orderWrite(customer, `key-'1'\\a`));
      const inlined = await runOrderTransaction(
        poolTransactions(pool, { preparedStatements: false }),
        orderWrite(`${customer}-inline`, `key-'1'\\a`),
      );
      expect([prepared.kind, inlined.kind]).toEqual(['created', 'created']);
      const { transactions: messages } = takeRaw();
      expect(messages[0]).toMatch(/EXECUTE og_/);
      expect(messages[1]).not.toMatch(/PREPARE|EXECUTE/);
      expect(await orderRows(customer)).toEqual([{ key: `key-'1'\\a`, totalCents: 900, items: 2, audit: 1 }]);
      expect(await orderRows(`${customer}-inline`)).toEqual(await orderRows(customer));
      expect(await stockOf(db, 'PREP-A')).toBe(stock - 4);
      // A repeat of the key through the prepared statements finds the order and writes nothing.
      const repeat = await runOrderTransaction(poolTransactions(pool), orderWrite(customer, `key-'1'\\a`));
      expect(repeat.kind).toBe('existing');
      expect(await stockOf(db, 'PREP-A')).toBe(stock - 4);
    } finally {
      await pool.end();
    }
  });

  it('turns preparing off when a statement went missing on its connection, and places the order once', async () => {
    const pool = onePool();
    try {
      const turnedOff: unknown[] = [];
      const transactions = poolTransactions(pool, { onPreparedStatementsOff: (error) => turnedOff.push(error) });
      await runOrderTransaction(transactions, orderWrite('prep-lost-1', 'prep-lost-1'));
      // What a pooler in transaction mode does: the next transaction's session lacks the statements.
      await pool.query('DEALLOCATE ALL');
      counter.takeTexts();
      const outcome = await runOrderTransaction(transactions, orderWrite('prep-lost-2', 'prep-lost-2'));
      expect(outcome.kind).toBe('created');
      // The fault happened: the first message EXECUTEd a statement that was gone (26000), and the
      // same order went again with its values written in.
      expect(turnedOff).toHaveLength(1);
      expect(turnedOff[0]).toMatchObject({ code: '26000' });
      const { transactions: messages } = takeRaw();
      expect(messages).toHaveLength(2);
      expect(messages[0]).toMatch(/EXECUTE og_/);
      expect(messages[1]).toMatch(/INSERT INTO "Order"/);
      expect(await orderRows('prep-lost-2')).toEqual([{ key: 'prep-lost-2', totalCents: 900, items: 2, audit: 1 }]);
      // Off for good: the next order prepares nothing.
      await runOrderTransaction(transactions, orderWrite('prep-lost-3', 'prep-lost-3'));
      const after = takeRaw();
      expect(after.prepares).toEqual([]);
      expect(after.transactions[0]).not.toMatch(/EXECUTE/);
      expect(turnedOff).toHaveLength(1);
    } finally {
      await pool.end();
    }
  });

  it('runs every transaction that found its statements missing again, also those in flight when preparing turned off', async () => {
    const pool = survivingDroppedConnections(new pg.Pool({ connectionString: proxyUrl, max: 2 }));
    try {
      const turnedOff: unknown[] = [];
      const transactions = poolTransactions(pool, { onPreparedStatementsOff: (error) => turnedOff.push(error) });
      // Both connections prepare (two orders at once), then both lose their statements.
      const warm = await Promise.all(
        ['prep-two-1', 'prep-two-2'].map((id) => runOrderTransaction(transactions, orderWrite(id, id))),
      );
      expect(warm.map((outcome) => outcome.kind)).toEqual(['created', 'created']);
      const clients = await Promise.all([pool.connect(), pool.connect()]);
      for (const client of clients) await client.query('DEALLOCATE ALL');
      for (const client of clients) client.release();
      counter.takeTexts();
      const outcomes = await Promise.all(
        ['prep-two-3', 'prep-two-4'].map((id) => runOrderTransaction(transactions, orderWrite(id, id))),
      );
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(['created', 'created']);
      // The fault happened to both: two EXECUTE messages failed, each order went again written in.
      const { transactions: messages } = takeRaw();
      expect(messages.filter((message) => /EXECUTE og_/.test(message))).toHaveLength(2);
      expect(messages.filter((message) => /INSERT INTO "Order"/.test(message))).toHaveLength(2);
      expect(turnedOff).toHaveLength(1);
      for (const id of ['prep-two-3', 'prep-two-4'])
        expect(await orderRows(id)).toEqual([{ key: id, totalCents: 900, items: 2, audit: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('prepares a statement again on another connection once a migration changed what it answers', async () => {
    const pool = onePool();
    try {
      const transactions = poolTransactions(pool);
      await runOrderTransaction(transactions, orderWrite('prep-migrated', 'prep-migrated'));
      const [order] = await db.query<{ id: string }>(`SELECT "id" FROM "Order" WHERE "customerId" = 'prep-migrated'`);
      const lockOrder = () =>
        transactions.run((sql) =>
          sql.query<Record<string, unknown>>(Prisma.sql`
          SELECT * FROM "Order" WHERE "id" = ${order.id}::uuid FOR UPDATE`),
        );
      // Prepared by the first run, EXECUTEd by the second.
      expect((await lockOrder())[0]).not.toHaveProperty('preparedTestColumn');
      expect((await lockOrder())[0]).not.toHaveProperty('preparedTestColumn');
      await db.query('ALTER TABLE "Order" ADD COLUMN "preparedTestColumn" int');
      try {
        counter.takeTexts();
        const [row] = await lockOrder();
        expect(row).toHaveProperty('preparedTestColumn', null);
        // The fault happened: the EXECUTE failed (the plan's result changed), then the statement
        // was prepared again on a fresh connection and EXECUTEd there.
        const raw = counter.takeTexts({ raw: true }).filter((text) => /og_/.test(text));
        expect(raw.map((text) => (/; PREPARE og_/.test(text) ? 'prepare' : 'execute'))).toEqual([
          'execute',
          'prepare',
          'execute',
        ]);
      } finally {
        await db.query('ALTER TABLE "Order" DROP COLUMN "preparedTestColumn"');
      }
    } finally {
      await pool.end();
    }
  });

  it('gives up preparing within the budget while a migration holds the table', async () => {
    const pool = onePool();
    const migration = new pg.Client({ connectionString: db.url });
    await migration.connect();
    try {
      await migration.query('BEGIN; LOCK TABLE "Order" IN ACCESS EXCLUSIVE MODE');
      const failures: string[] = [];
      const started = performance.now();
      const placing = runOrderTransaction(
        poolTransactions(pool, { budgetMs: 500, onFailure: (failure) => failures.push(failure.class) }),
        orderWrite('prep-locked', 'prep-locked-1'),
      ).then(
        () => null,
        (error: unknown) => error,
      );
      // The fault happened: the PREPARE waited on the migration's lock.
      await waitFor(async () => {
        const [waiting] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%PREPARE og_%'`,
        );
        return waiting.n === 1;
      });
      const error = await placing;
      expect(error).toMatchObject({ code: '55P03' });
      expect(failures).toEqual(['lock_timeout']);
      expect(performance.now() - started).toBeLessThan(5_000);
      await migration.query('ROLLBACK');
      // Nothing half-done: the connection serves the next order, preparing then.
      const outcome = await runOrderTransaction(poolTransactions(pool), orderWrite('prep-locked', 'prep-locked-2'));
      expect(outcome.kind).toBe('created');
      expect((await orderRows('prep-locked')).map((row) => row.key)).toEqual(['prep-locked-2']);
    } finally {
      await migration.end();
      await pool.end();
    }
  });

  it('sends a statement PostgreSQL will not prepare with its values written in', async () => {
    const pool = onePool();
    try {
      // A parameter nothing types (42P18 when prepared); as a literal PostgreSQL takes it as text.
      const untyped = Prisma.sql`SELECT ${'plain text'} IS NULL AS value`;
      const client = await pool.connect();
      const prepared = new PreparedStatements();
      try {
        await prepared.prepare(client, [untyped]);
        expect(prepared.executeText(client, untyped)).toBeNull();
      } finally {
        client.release();
      }
      const rows = await poolTransactions(pool).run((sql) => sql.queryEachAndCommit!([untyped]));
      expect(rows).toEqual([[{ value: false }]]);
      const { transactions: messages } = takeRaw();
      expect(messages.at(-1)).toMatch(/SELECT 'plain text' IS NULL AS value; COMMIT$/);
    } finally {
      await pool.end();
    }
  });
});
