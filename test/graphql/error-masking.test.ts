import net from 'node:net';
import { PrismaPg } from '@prisma/adapter-pg';
import { GraphQLError } from 'graphql';
import { PrismaClient } from '../../src/db/generated/client';
import { isDatabaseUnavailable, maskUnexpectedError } from '../../src/graphql/error-masking';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startPostgresProxy, throughProxy } from '../support/cuttable-tcp-proxy';
import { freePort } from '../support/redis-server';

// Every error here is provoked for real, through Prisma 7 and its pg driver adapter, against the
// shared PostgreSQL (a scratch database), a closed port, a cut proxy or a silent listener.

let db: TestDatabase;
const clients: PrismaClient[] = [];

beforeAll(async () => {
  db = await createTestDatabase('error_masking');
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.$disconnect().catch(() => undefined)));
  await db?.drop();
});

function prismaAt(url: string, options: { max?: number; connectionTimeoutMillis?: number } = {}): PrismaClient {
  const client = new PrismaClient({
    adapter: new PrismaPg({
      connectionString: url,
      max: options.max ?? 2,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    }),
  });
  clients.push(client);
  return client;
}

async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected the database call to fail');
}

/** What a client sees for `error` thrown by a resolver at `createOrder`. */
function masked(error: unknown) {
  const wrapped = new GraphQLError('boom', {
    path: ['createOrder'],
    originalError: error instanceof Error ? error : undefined,
  });
  return maskUnexpectedError({ message: wrapped.message, path: ['createOrder'] }, wrapped);
}

describe('isDatabaseUnavailable: a database that cannot be reached', () => {
  it('a refused connection (nothing listens): P1001 from a model query, P2010 from a raw one', async () => {
    const prisma = prismaAt(`postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`);
    const model = await failureOf(prisma.product.findMany());
    const raw = await failureOf(prisma.$queryRaw`SELECT 1`);
    expect(model).toMatchObject({ code: 'P1001' });
    expect(raw).toMatchObject({
      code: 'P2010',
      meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } },
    });
    expect([isDatabaseUnavailable(model), isDatabaseUnavailable(raw)]).toEqual([true, true]);
  });

  it('connections reset mid-use (a proxy cut): P1017 ConnectionClosed', async () => {
    const proxy = await startPostgresProxy();
    try {
      const prisma = prismaAt(throughProxy(db.url, proxy));
      await prisma.$queryRaw`SELECT 1`;
      const inFlight = failureOf(prisma.$transaction(async (tx) => tx.$queryRaw`SELECT pg_sleep(2)`));
      await new Promise((resolve) => setTimeout(resolve, 200));
      proxy.cut();
      const error = await inFlight;
      expect(proxy.counts.reset).toBeGreaterThan(0);
      expect(error).toMatchObject({ meta: { driverAdapterError: { cause: { kind: 'ConnectionClosed' } } } });
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('a session terminated by the server (57P01, as in a shutdown or failover)', async () => {
    const prisma = prismaAt(db.url, { max: 1 });
    await prisma.$queryRaw`SELECT 1`;
    const inFlight = failureOf(prisma.$queryRaw`SELECT pg_sleep(3)`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await db.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const error = await inFlight;
    expect(error).toMatchObject({ meta: { driverAdapterError: { cause: { originalCode: '57P01' } } } });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("a pool with no connection to hand out in time (P2028, the transaction's maxWait)", async () => {
    const prisma = prismaAt(db.url, { max: 1 });
    let release: () => void = () => undefined;
    const holder = prisma.$transaction(() => new Promise<void>((resolve) => (release = resolve)), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const error = await failureOf(prisma.$transaction(async (tx) => tx.$queryRaw`SELECT 1`, { maxWait: 200 }));
    release();
    await holder;
    expect(error).toMatchObject({
      code: 'P2028',
      message: expect.stringContaining('Unable to start a transaction in the given time'),
    });
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("a server that accepts but never answers (pg's connection timeout)", async () => {
    // Its accepted sockets too are closed at the end: server.close() leaves them open, and one left
    // open kept jest's worker alive after its last suite ("failed to exit gracefully").
    const accepted = new Set<net.Socket>();
    const silent = net.createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const prisma = prismaAt(`postgresql://postgres@127.0.0.1:${(silent.address() as net.AddressInfo).port}/x`, {
        connectionTimeoutMillis: 300,
      });
      const error = await failureOf(prisma.$queryRaw`SELECT 1`);
      expect(error).toMatchObject({ message: 'Connection terminated due to connection timeout' });
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      for (const socket of accepted) socket.destroy();
      silent.close();
    }
  });
});

describe('isDatabaseUnavailable: defects stay defects', () => {
  it('a missing table, bad SQL, a unique violation and a plain bug are not outages', async () => {
    const prisma = prismaAt(db.url);
    const defects = [
      await failureOf(prisma.$queryRaw`SELECT * FROM "NoSuchTable"`),
      await failureOf(prisma.$queryRaw`SELEC 1`),
      await failureOf(
        prisma.product.createMany({
          data: [0, 1].map(() => ({ sku: 'DUP-1', name: 'x', priceCents: 1, currency: 'EUR', stock: 1 })),
        }),
      ),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
    ];
    expect(defects.map((error) => (error as { code?: string }).code)).toEqual(['P2010', 'P2010', 'P2002', undefined]);
    expect(defects.map(isDatabaseUnavailable)).toEqual([false, false, false, false]);
  });
});

describe('maskUnexpectedError', () => {
  it('answers an outage with SERVICE_UNAVAILABLE and a retry hint, a defect with a bare INTERNAL_SERVER_ERROR', async () => {
    const outage = await failureOf(
      prismaAt(`postgresql://postgres@127.0.0.1:${await freePort()}/nowhere`).product.findMany(),
    );
    expect(masked(outage)).toEqual({
      message: 'The database is unavailable. Retry with the same idempotency key after retryAfterMs.',
      path: ['createOrder'],
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterMs: 1_000 },
    });
    expect(masked(new TypeError('secret detail'))).toEqual({
      message: 'Internal server error.',
      path: ['createOrder'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('lets errors raised on purpose through with their own code', () => {
    const formatted = { message: 'Slow down.', extensions: { code: 'RATE_LIMITED', retryAfterMs: 500 } };
    expect(maskUnexpectedError(formatted, new GraphQLError('Slow down.'))).toBe(formatted);
  });

  it("names GRAPHQL_INTROSPECTION for Apollo's introspection refusal, in words true in every environment", () => {
    const apollo = {
      message:
        'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    const { message } = maskUnexpectedError(apollo);
    expect(message).toContain('GRAPHQL_INTROSPECTION=true turns it on');
    expect(message).not.toMatch(/ApolloServer|off in production unless/); // development with =false refuses too
  });
});
