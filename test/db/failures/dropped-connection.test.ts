import { Prisma } from '../../../src/db/prisma';
import { createPrismaClient } from '../../../src/db/prisma';
import { classifyDatabaseFailure } from '../../../src/db/database-failure';
import { poolTransactions } from '../../../src/db/transactions';
import { createTestDatabase } from '../../support/database';
import type { TestDatabase } from '../../support/database';
import { backendMessageTypes, startHoldingProxy } from '../../support/holding-proxy';
import type { HoldingProxy } from '../../support/holding-proxy';
import { waitUntil } from '../../support/wait';

// A session terminated just after it started, its FATAL in the same network chunk as the
// ReadyForQuery that hands the connection over: pg emits the 'error' event before the code that
// awaited pool.connect() runs again, so no listener of the caller's can be there yet. Without the
// pool's own listener (db/dropped-connections.ts) that event ended the process: the server
// instances that exited by themselves at session terminations, in the soak and in CI.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('dropped_connection');
});

afterAll(async () => {
  await db?.drop();
});

/** The app's pool, through a proxy that holds its first connection's replies. */
async function poolBehindHoldingProxy(applicationName: string) {
  const upstream = new URL(db.url);
  const proxy = await startHoldingProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
  const url = new URL(db.url);
  url.port = String(proxy.port);
  url.searchParams.set('application_name', applicationName);
  const { prisma, pool } = createPrismaClient({ databaseUrl: url.toString(), poolSize: 2 });
  // Proof that the FATAL reached the client: the connection's own event, which adds no 'error' listener.
  const fatalMessages: string[] = [];
  pool.on('connect', (client) =>
    client.connection.on('errorMessage', (message: { code?: string }) => fatalMessages.push(message.code ?? '')),
  );
  return { proxy, prisma, pool, fatalMessages };
}

/** Terminates the held session once the server has started it, and hands both replies over in one chunk. */
async function terminateInHandoverChunk(proxy: HoldingProxy, applicationName: string): Promise<string[]> {
  await waitUntil(
    'the held session to start',
    async () =>
      (
        await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [
          applicationName,
        ])
      ).length > 0,
    10_000,
  );
  await proxy.upstreamClosed;
  return backendMessageTypes(proxy.release());
}

describe('a connection terminated in the chunk that hands it over', () => {
  it('fails the order transaction on it as a lost connection (a 503), the process lives, the next one runs', async () => {
    const applicationName = 'dropped-handover-runner';
    const { proxy, prisma, pool, fatalMessages } = await poolBehindHoldingProxy(applicationName);
    try {
      const transactions = poolTransactions(pool, { budgetMs: 10_000 });
      const answer = transactions
        .run((sql) => sql.query<{ one: number }>(Prisma.sql`SELECT 1 AS one`))
        .catch((error: unknown) => error);
      const chunk = await terminateInHandoverChunk(proxy, applicationName);
      // The fault happened as described: ReadyForQuery ('Z'), then the ErrorResponse ('E'), in one chunk.
      expect(chunk.indexOf('E')).toBeGreaterThan(chunk.indexOf('Z'));
      expect(chunk.indexOf('Z')).toBeGreaterThanOrEqual(0);
      // A typed failure the client is told to retry (with its key), not a defect.
      expect(classifyDatabaseFailure(await answer)?.class).toBe('connection_lost');
      expect(fatalMessages).toContain('57P01');
      // The dropped connection left the pool; the next transaction gets a fresh one.
      expect(pool.totalCount).toBe(0);
      await expect(transactions.run((sql) => sql.query<{ two: number }>(Prisma.sql`SELECT 2 AS two`))).resolves.toEqual(
        [{ two: 2 }],
      );
    } finally {
      await prisma.$disconnect();
      await pool.end();
      await proxy.close();
    }
  });

  it('fails a Prisma interactive transaction with an error, and the process lives', async () => {
    const applicationName = 'dropped-handover-prisma';
    const { proxy, prisma, pool, fatalMessages } = await poolBehindHoldingProxy(applicationName);
    try {
      const answer = prisma.$transaction((tx) => tx.$queryRaw`SELECT 1 AS one`);
      const settled = answer.then(
        () => 'resolved',
        () => 'rejected',
      );
      const chunk = await terminateInHandoverChunk(proxy, applicationName);
      expect(chunk.indexOf('E')).toBeGreaterThan(chunk.indexOf('Z'));
      expect(await settled).toBe('rejected');
      expect(fatalMessages).toContain('57P01');
      // The next transaction runs on a fresh connection.
      await expect(prisma.$transaction((tx) => tx.$queryRaw`SELECT 3 AS three`)).resolves.toEqual([{ three: 3 }]);
    } finally {
      await prisma.$disconnect();
      await pool.end();
      await proxy.close();
    }
  });
});
