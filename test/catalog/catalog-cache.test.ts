import { CatalogService } from '../../src/catalog/catalog.service';
import { createPrismaClient } from '../../src/db/prisma';
import { Prisma } from '../../src/db/prisma';
import type { PrismaClient } from '../../src/db/prisma';
import type { Product } from '../../src/catalog/product.type';
import { pgRunner } from '../../src/db/sql-runner';
import type { SqlRunner } from '../../src/db/sql-runner';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

/**
 * The catalog's products for order items, against real PostgreSQL: what reaches the database when
 * many requests miss the same products at once (as the repeats of many stored answers do when
 * their products expire together), and what a change made meanwhile does to a read in flight.
 */
let db: TestDatabase;
let prisma: PrismaClient;
let reads: SqlRunner;
let closePool: () => Promise<void>;
let ids: string[];

/** The reads that reached the database; `gate` (when set as one starts) holds its rows until it is opened. */
interface CountedReads {
  runner: SqlRunner;
  statements: string[];
  /** Each statement's first value (the ids it reads). */
  values: unknown[];
  gate?: Promise<void>;
}

function counted(): CountedReads {
  const counter: CountedReads = {
    statements: [],
    values: [],
    runner: {
      async query<T>(statement: Prisma.Sql): Promise<T[]> {
        counter.statements.push(statement.text);
        counter.values.push(statement.values[0]);
        const gate = counter.gate;
        const rows = await reads.query<T>(statement);
        if (gate) await gate;
        return rows;
      },
    },
  };
  return counter;
}

beforeAll(async () => {
  db = await createTestDatabase('catalog_cache');
  await seedProducts(db.url, [
    { sku: 'CACHE-A', priceCents: 100, stock: 5 },
    { sku: 'CACHE-B', priceCents: 200, stock: 7 },
  ]);
  const client = createPrismaClient({ databaseUrl: db.url, poolSize: 4 });
  prisma = client.prisma;
  reads = pgRunner(client.pool);
  closePool = () => client.pool.end();
  ids = (await db.query<{ id: string }>('SELECT "id" FROM "Product" ORDER BY "sku"')).map((row) => row.id);
});

afterAll(async () => {
  await prisma.$disconnect();
  await closePool();
  await db.drop();
});

describe('CatalogService.findByIds', () => {
  it('reads products missed by many requests at once in one statement, and serves them from memory after', async () => {
    const counter = counted();
    const catalog = new CatalogService(prisma, counter.runner, { productCacheTtlMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => catalog.findByIds(ids)));
    expect(counter.statements).toHaveLength(1);
    for (const answer of answers) expect(answer.map((product) => product.sku).sort()).toEqual(['CACHE-A', 'CACHE-B']);
  });

  it('reads only what no read in flight covers', async () => {
    const counter = counted();
    const catalog = new CatalogService(prisma, counter.runner, { productCacheTtlMs: 60_000 });
    // The first request's read of A is on its way when the second asks for A and B.
    const partial = await Promise.all([catalog.findByIds([ids[0]]), catalog.findByIds(ids)]);
    expect(partial.map((answer) => answer.map((product) => product.sku).sort())).toEqual([
      ['CACHE-A'],
      ['CACHE-A', 'CACHE-B'],
    ]);
    expect(counter.values).toEqual([[ids[0]], [ids[1]]]);
  });

  it('reads every time with the cache off', async () => {
    const counter = counted();
    const catalog = new CatalogService(prisma, counter.runner, { productCacheTtlMs: 0 });
    await Promise.all(Array.from({ length: 5 }, () => catalog.findByIds(ids)));
    expect(counter.statements).toHaveLength(5);
  });

  it('gives a failed read to each request that waited for it, then reads again', async () => {
    const counter = counted();
    let fail = true;
    const failing: SqlRunner = {
      query<T>(statement: Prisma.Sql): Promise<T[]> {
        if (fail) return Promise.reject(new Error('database is away'));
        return counter.runner.query<T>(statement);
      },
    };
    const catalog = new CatalogService(prisma, failing, { productCacheTtlMs: 60_000 });
    const settled = await Promise.allSettled(Array.from({ length: 3 }, () => catalog.findByIds(ids)));
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    fail = false;
    expect(await catalog.findByIds(ids)).toHaveLength(2);
    expect(counter.statements).toHaveLength(1);
  });

  it('does not remember a read that began before a change made here, nor let later requests wait for it', async () => {
    const counter = counted();
    let open!: () => void;
    counter.gate = new Promise<void>((resolve) => (open = resolve));
    const catalog = new CatalogService(prisma, counter.runner, { productCacheTtlMs: 60_000 });
    // This read has the row as it was, and is held before it answers.
    const before = catalog.findByIds([ids[0]]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    counter.gate = undefined;
    await catalog.upsertProduct({ sku: 'CACHE-A', name: 'Renamed', priceCents: 150, currency: 'EUR', stock: 9 });
    // A request after the change reads on its own rather than waiting for the held read.
    expect((await catalog.findByIds([ids[0]]))[0].name).toBe('Renamed');
    expect(counter.statements).toHaveLength(2);
    open();
    expect((await before)[0].name).toBe('CACHE-A');
    // The held read's old row did not replace the newer one in memory.
    expect((await catalog.findByIds([ids[0]]))[0].name).toBe('Renamed');
    expect(counter.statements).toHaveLength(2);
  });

  it("keeps an order's rows remembered while an older read was on its way", async () => {
    const counter = counted();
    let open!: () => void;
    counter.gate = new Promise<void>((resolve) => (open = resolve));
    const catalog = new CatalogService(prisma, counter.runner, { productCacheTtlMs: 60_000 });
    const [a, b] = await db.query<{ id: string; stock: number }>('SELECT "id", "stock" FROM "Product" ORDER BY "sku"');
    // A read of A and B is on its way (held) when an order's transaction hands over A as it left it.
    const held = catalog.findByIds(ids);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [row] = await reads.query<Product>(productRow(a.id));
    catalog.remember([{ ...row, stock: a.stock - 1 }]);
    open();
    // The read answers its own callers with the rows it read...
    expect(stocks(await held)).toEqual({ [a.id]: a.stock, [b.id]: b.stock });
    // ...but A stays as the order left it; B, which no order touched, is the read's, from memory.
    expect(stocks(await catalog.findByIds(ids))).toEqual({ [a.id]: a.stock - 1, [b.id]: b.stock });
    expect(counter.statements).toHaveLength(1);
  });
});

function stocks(products: readonly Product[]): Record<string, number> {
  return Object.fromEntries(products.map((product) => [product.id, product.stock]));
}

function productRow(id: string): Prisma.Sql {
  return Prisma.sql`SELECT "id", "sku", "name", "priceCents", "currency", "stock" FROM "Product" WHERE "id" = ${id}::uuid`;
}
