import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma } from '../../../src/db/prisma';
import { PrismaClient } from '../../../src/db/generated/client';
import { DATABASE_FAILURE_ANSWERS, classifyDatabaseFailure } from '../../../src/db/database-failure';
import type { DatabaseFailure } from '../../../src/db/database-failure';
import { survivingDroppedConnections } from '../../../src/db/dropped-connections';
import { poolTransactions } from '../../../src/db/transactions';
import type { FailureOutcome } from '../../../src/db/transactions';
import { createTestDatabase } from '../../support/database';
import type { TestDatabase } from '../../support/database';

// Every error here comes from the PostgreSQL server (a scratch database of the shared one),
// through the order transaction runner and through Prisma: RAISE … USING ERRCODE makes the
// server send the SQLSTATE of a failure that cannot be caused on a shared server (disk full).

let db: TestDatabase;
const pools: pg.Pool[] = [];
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase('db_failure_classes');
  await db.query('CREATE TABLE counter (id int PRIMARY KEY, value int NOT NULL)');
  await db.query('INSERT INTO counter VALUES (1, 0)');
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 2 }) });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await Promise.all(pools.map((pool) => pool.end()));
  await db?.drop();
});

function poolOf(max = 4): pg.Pool {
  // As the server's pools: a session the final DROP DATABASE … WITH (FORCE) ends must not crash the run.
  const pool = survivingDroppedConnections(
    new pg.Pool({ connectionString: db.url, max, connectionTimeoutMillis: 10_000 }),
  );
  pools.push(pool);
  return pool;
}

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the database call to fail');
}

const raising = (sqlState: string) =>
  `DO $$ BEGIN RAISE EXCEPTION 'raised for the test' USING ERRCODE = '${sqlState}'; END $$`;

/** The class, SQLSTATE and outcomes a transaction's failure was recognised as. */
function recorder() {
  const seen: { class: string; sqlState: string | undefined; outcome: FailureOutcome }[] = [];
  const onFailure = (failure: DatabaseFailure, outcome: FailureOutcome) =>
    seen.push({ class: failure.class, sqlState: failure.sqlState, outcome });
  return { seen, onFailure };
}

describe('classifyDatabaseFailure: each SQLSTATE from the server, through the runner and through Prisma', () => {
  const cases: [string, string][] = [
    ['57014', 'statement_timeout'],
    ['55P03', 'lock_timeout'],
    ['40001', 'serialization_failure'],
    ['40P01', 'deadlock'],
    ['25006', 'read_only'],
    ['53300', 'too_many_connections'],
    ['57P01', 'shutdown'],
    ['57P02', 'shutdown'],
    ['57P03', 'shutdown'],
    ['53100', 'disk_full'],
    ['08006', 'connection_lost'],
  ];
  it.each(cases)('%s is %s, answered 503 SERVICE_UNAVAILABLE with a retry hint', async (sqlState, expected) => {
    const transactions = poolTransactions(poolOf(), { budgetMs: 2_000 });
    const viaRunner = await failureOf(transactions.run((sql) => sql.query(Prisma.raw(raising(sqlState)))));
    const viaPrisma = await failureOf(prisma.$executeRawUnsafe(raising(sqlState)));
    for (const error of [viaRunner, viaPrisma]) {
      expect(classifyDatabaseFailure(error)).toEqual({
        class: expected,
        sqlState,
        answer: expect.objectContaining({ status: 503, code: 'SERVICE_UNAVAILABLE' }) as unknown,
      });
    }
    expect(classifyDatabaseFailure(viaRunner)!.answer.retryAfterMs).toBeGreaterThanOrEqual(1_000);
  });

  it('defects stay defects (a masked 500): bad SQL, a unique violation, a missing table, a plain bug', async () => {
    const defects = [
      await failureOf(prisma.$executeRawUnsafe('SELEC 1')),
      await failureOf(prisma.$executeRawUnsafe('INSERT INTO counter VALUES (1, 0)')),
      await failureOf(prisma.$executeRawUnsafe('SELECT * FROM "NoSuchTable"')),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
    ];
    expect(defects.map(classifyDatabaseFailure)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe("classifyDatabaseFailure: Node's socket codes, as pg raises them (with no SQLSTATE)", () => {
  const cases: [string, string][] = [
    ['ECONNREFUSED', 'unreachable'],
    ['ETIMEDOUT', 'unreachable'],
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['ENOTFOUND', 'unreachable'],
    ['EAI_AGAIN', 'unreachable'],
    ['ECONNRESET', 'connection_lost'],
    ['EPIPE', 'connection_lost'],
    // The Redis connections' list had it and this one did not: an aborted connection was a masked 500.
    ['ECONNABORTED', 'connection_lost'],
  ];
  it.each(cases)('%s is %s, answered 503 SERVICE_UNAVAILABLE', (code, expected) => {
    const socketError = Object.assign(new Error(`read ${code}`), { code });
    expect(classifyDatabaseFailure(socketError)).toEqual({
      class: expected,
      sqlState: undefined,
      answer: expect.objectContaining({ status: 503, code: 'SERVICE_UNAVAILABLE' }) as unknown,
    });
  });

  it('another code of Node is no outage (a masked 500)', () => {
    expect(classifyDatabaseFailure(Object.assign(new Error('open EACCES'), { code: 'EACCES' }))).toBeUndefined();
  });
});

describe('poolTransactions: the budget and in-server retries', () => {
  it('a statement past the budget is cancelled by statement_timeout (57014) within the budget', async () => {
    const { seen, onFailure } = recorder();
    const transactions = poolTransactions(poolOf(), { budgetMs: 400, onFailure });
    const startedAt = performance.now();
    const error = await failureOf(transactions.run((sql) => sql.query(Prisma.sql`SELECT pg_sleep(5)`)));
    const elapsedMs = performance.now() - startedAt;
    console.log(`statement past the budget: ${classifyDatabaseFailure(error)?.class} in ${Math.round(elapsedMs)} ms`);
    expect(seen).toEqual([{ class: 'statement_timeout', sqlState: '57014', outcome: 'raised' }]);
    expect(elapsedMs).toBeLessThan(400 + 300);
  });

  it('every pooled connection busy for the whole budget: pool_exhausted within the budget', async () => {
    const pool = survivingDroppedConnections(
      new pg.Pool({ connectionString: db.url, max: 1, connectionTimeoutMillis: 400 }),
    );
    pools.push(pool);
    const { seen, onFailure } = recorder();
    const transactions = poolTransactions(pool, { budgetMs: 400, onFailure });
    // The one connection, taken for the whole test (a loaded machine may need a second try to open it).
    const busy = await pool.connect().catch(() => pool.connect());
    const startedAt = performance.now();
    try {
      const error = await failureOf(transactions.run((sql) => sql.query(Prisma.sql`SELECT 1`)));
      const elapsedMs = performance.now() - startedAt;
      console.log(`pool exhausted: ${classifyDatabaseFailure(error)?.class} in ${Math.round(elapsedMs)} ms`);
      expect(seen).toEqual([{ class: 'pool_exhausted', sqlState: undefined, outcome: 'raised' }]);
      expect(elapsedMs).toBeGreaterThanOrEqual(390);
      expect(elapsedMs).toBeLessThan(400 + 300);
    } finally {
      busy.release();
    }
  });

  it('a real serialization failure (40001, a concurrent update under REPEATABLE READ) runs again in a fresh transaction and commits once', async () => {
    const { seen, onFailure } = recorder();
    const transactions = poolTransactions(poolOf(), { budgetMs: 5_000, onFailure });
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    let attempts = 0;
    try {
      await transactions.run(async (sql) => {
        attempts++;
        await sql.query(Prisma.sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
        await sql.query(Prisma.sql`SELECT value FROM counter WHERE id = 1`);
        // Another session changes the row after this transaction's snapshot: the update cannot be serialised.
        if (attempts === 1) await other.query('UPDATE counter SET value = value + 100 WHERE id = 1');
        await sql.query(Prisma.sql`UPDATE counter SET value = value + 1 WHERE id = 1`);
      });
    } finally {
      await other.end();
    }
    expect(seen).toEqual([{ class: 'serialization_failure', sqlState: '40001', outcome: 'retried' }]);
    expect(attempts).toBe(2);
    expect(await db.query('SELECT value FROM counter WHERE id = 1')).toEqual([{ value: 101 }]);
  });

  it('retries are bounded: a deadlock every time is answered after 3 attempts', async () => {
    const { seen, onFailure } = recorder();
    const transactions = poolTransactions(poolOf(), { budgetMs: 5_000, onFailure });
    const error = await failureOf(transactions.run((sql) => sql.query(Prisma.raw(raising('40P01')))));
    expect(classifyDatabaseFailure(error)?.class).toBe('deadlock');
    expect(seen.map((failure) => failure.outcome)).toEqual(['retried', 'retried', 'raised']);
  });

  it('other failures are never retried inside the server (nothing says the work did not happen)', async () => {
    const { seen, onFailure } = recorder();
    const transactions = poolTransactions(poolOf(), { budgetMs: 5_000, onFailure });
    await failureOf(transactions.run((sql) => sql.query(Prisma.raw(raising('57P01')))));
    expect(seen).toEqual([{ class: 'shutdown', sqlState: '57P01', outcome: 'raised' }]);
    expect(Object.values(DATABASE_FAILURE_ANSWERS).filter((answer) => answer.retriedInServer)).toHaveLength(2);
  });
});
