import { inlineStatement } from '../../src/db/inline-statement';
import { Prisma, createPrismaClient } from '../../src/db/prisma';
import type { PrismaClient } from '../../src/db/prisma';
import { poolTransactions } from '../../src/db/transactions';
import type { Transactions } from '../../src/db/transactions';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';

// The servers' transactions send BEGIN with their first statement, its values written in as
// literals (one round trip less). What arrives must be exactly what was sent, whatever the value,
// and the transaction's limits must already hold for that statement; on the real PostgreSQL.

let db: TestDatabase;
let prisma: PrismaClient;
let transactions: Transactions;
let closePool: () => Promise<void>;

beforeAll(async () => {
  db = await createTestDatabase('first_statement');
  await db.query('CREATE TABLE note (id serial PRIMARY KEY, text text, n numeric, flag boolean)');
  const client = createPrismaClient({ databaseUrl: db.url, poolSize: 2 });
  prisma = client.prisma;
  closePool = () => client.pool.end();
  transactions = poolTransactions(client.pool, { budgetMs: 1_000 });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await closePool?.();
  await db?.drop();
});

const HOSTILE_TEXTS = [
  "it's",
  "''; DROP TABLE note; --",
  'back\\slash \\x41 \\',
  "E'\\\\'",
  '$1 $$ $tag$ ?',
  'Ελληνικά · עברית · العربية · 日本語 · 🧾',
  '',
  ' \t\n\r ',
];

describe('BEGIN with the first statement', () => {
  it.each(HOSTILE_TEXTS)('writes %j in as sent, as the statements after it do', async (text) => {
    const [first, second] = await transactions.run(async (sql) => [
      await sql.query<{ text: string; n: string; flag: boolean }>(
        Prisma.sql`INSERT INTO note (text, n, flag) VALUES (${text}, ${-12.5}, ${true}) RETURNING text, n::text, flag`,
      ),
      await sql.query<{ text: string }>(Prisma.sql`SELECT ${text}::text AS text`),
    ]);
    expect(first).toEqual([{ text, n: '-12.5', flag: true }]);
    expect(second).toEqual([{ text }]);
    expect(await db.query('SELECT text FROM note WHERE text = $1', [text])).toHaveLength(1);
  });

  it('writes Dates, arrays and nulls in as pg would send them as parameters', async () => {
    const at = new Date('2026-12-02T10:00:00.123Z');
    const tags = ["it's", null, 'a,b', '{x}', 'back\\slash', '"quoted"'];
    const [row] = await transactions.run((sql) =>
      sql.query<{ at: Date; tags: (string | null)[]; times: Date[]; nothing: string | null }>(
        Prisma.sql`SELECT ${at}::timestamptz AS at, ${tags}::text[] AS tags, ${[at, at]}::timestamptz[] AS times, ${null}::text AS nothing`,
      ),
    );
    expect(row).toEqual({ at, tags, times: [at, at], nothing: null });
  });

  it('sends a first statement with parameters when a value cannot be written in (bytes), to the same effect', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const [row] = await transactions.run((sql) =>
      sql.query<{ bytes: Buffer }>(Prisma.sql`SELECT ${bytes}::bytea AS bytes`),
    );
    expect(row.bytes.equals(bytes)).toBe(true);
  });

  it('applies the transaction limits to the first statement already (statement_timeout)', async () => {
    await expect(transactions.run((sql) => sql.query(Prisma.sql`SELECT pg_sleep(${3})`))).rejects.toMatchObject({
      code: '57014',
    });
  });

  it('rolls the first statement back with the rest when a later one fails', async () => {
    const text = 'written then undone';
    await expect(
      transactions.run(async (sql) => {
        await sql.query(Prisma.sql`INSERT INTO note (text) VALUES (${text})`);
        await sql.query(Prisma.sql`SELECT 1 / ${0}::int`);
      }),
    ).rejects.toMatchObject({ code: '22012' });
    expect(await db.query('SELECT 1 FROM note WHERE text = $1', [text])).toHaveLength(0);
  });
});

describe('inlineStatement', () => {
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

  it('writes values in between the statement text, as the text pg sends for them', () => {
    const statement = Prisma.sql`SELECT ${'a'}, ${1}, ${BigInt(2)}, ${false}, ${null}, ${undefined}, ${['x', null]}`;
    expect(inlineStatement(statement, quote)).toBe("SELECT 'a', '1', '2', 'false', NULL, NULL, '{\"x\",NULL}'");
  });

  it.each([
    ['a NUL byte in a string', 'a\0b'],
    ['a NUL byte in an array', ['a\0b']],
    ['a Buffer', Buffer.from('x')],
  ])('declines %s (the statement then goes with parameters)', (_label, value) => {
    expect(inlineStatement(Prisma.sql`SELECT ${value}`, quote)).toBeNull();
  });
});
