import { Prisma } from '../../src/db/prisma';
import { createPrismaClient } from '../../src/db/prisma';
import type { PrismaClient } from '../../src/db/prisma';
import { poolTransactions, prismaTransactions, rollBack } from '../../src/db/transactions';
import type { Transactions } from '../../src/db/transactions';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

// An expected refusal is a value: a unit of work that resolves to rollBack(answer) leaves nothing
// behind and `run` answers `answer`, through both runners (the servers' pg pool, and Prisma's
// interactive transaction as the embedded mode runs it), on the real PostgreSQL.

let db: TestDatabase;
let prisma: PrismaClient;
let runners: [string, Transactions][];
let closePool: () => Promise<void>;

beforeAll(async () => {
  db = await createTestDatabase('transactions_rollback');
  await db.query('CREATE TABLE note (id serial PRIMARY KEY, text text NOT NULL)');
  const client = createPrismaClient({ databaseUrl: db.url, poolSize: 2 });
  prisma = client.prisma;
  closePool = () => client.pool.end();
  runners = [
    ['poolTransactions', poolTransactions(client.pool)],
    ['prismaTransactions', prismaTransactions(prisma)],
  ];
});

afterAll(async () => {
  await prisma?.$disconnect();
  await closePool?.();
  await db?.drop();
});

const notes = async (text: string) => (await db.query(`SELECT 1 FROM note WHERE text = $1`, [text])).length;

describe.each(['poolTransactions', 'prismaTransactions'])('%s', (name) => {
  const runner = () => runners.find(([label]) => label === name)![1];

  it('rolls back a unit of work that answers rollBack(value), and answers the value', async () => {
    const text = `${name}-refused`;
    const answer = await runner().run(async (sql) => {
      await sql.query(Prisma.sql`INSERT INTO note (text) VALUES (${text})`);
      // Written, and visible inside the transaction, before the refusal.
      expect(await sql.query(Prisma.sql`SELECT 1 FROM note WHERE text = ${text}`)).toHaveLength(1);
      return rollBack({ refused: 'out of stock' });
    });
    expect(answer).toEqual({ refused: 'out of stock' });
    expect(await notes(text)).toBe(0);
  });

  it('commits a unit of work that answers anything else', async () => {
    const text = `${name}-kept`;
    const answer = await runner().run(async (sql) => {
      await sql.query(Prisma.sql`INSERT INTO note (text) VALUES (${text})`);
      return 'kept';
    });
    expect(answer).toBe('kept');
    expect(await notes(text)).toBe(1);
  });

  it('still rolls back and rethrows on an exception', async () => {
    const text = `${name}-failed`;
    await expect(
      runner().run(async (sql) => {
        await sql.query(Prisma.sql`INSERT INTO note (text) VALUES (${text})`);
        throw new Error('a defect');
      }),
    ).rejects.toThrow('a defect');
    expect(await notes(text)).toBe(0);
  });
});
