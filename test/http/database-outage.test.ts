import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startPostgresProxy, throughProxy } from '../support/cuttable-tcp-proxy';
import type { CuttableTcpProxy } from '../support/cuttable-tcp-proxy';
import { postGraphQL } from '../support/graphql-client';
import type { GraphQLResponse } from '../support/graphql-client';
import { request } from '../support/http';
import { CREATE_ORDER } from '../support/operations';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { makeIntents } from '../support/storm';
import type { Intent } from '../support/storm';
import { waitUntil } from '../support/wait';

// PostgreSQL goes away mid-storm for this server only: its DATABASE_URL points through a TCP
// proxy that the test cuts (live connections reset, new ones refused) and then restores. The
// shared PostgreSQL server is never touched.

const INTENTS = 20;
const CLIENTS_PER_INTENT = 10;
const SPREAD_MS = 2_000;
/** The cut comes once this many replies arrived: the pool then holds live connections to reset. */
const CUT_AFTER_REPLIES = 10;
const OUTAGE_MS = 2_000;
const STOCK = 10_000;

type CreateOrderAnswer = {
  __typename: string;
  retryAfterMs?: number;
  order?: { id: string };
  originalOrder?: { id: string };
};
type Reply = Pick<GraphQLResponse<{ createOrder: CreateOrderAnswer }>, 'status' | 'headers' | 'body'>;

let db: TestDatabase;
let proxy: CuttableTcpProxy;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase('db_outage');
  await seedProducts(db.url, [{ sku: 'OUTAGE-1', priceCents: 500, stock: STOCK }]);
  proxy = await startPostgresProxy();
  server = await startTestServer(throughProxy(db.url, proxy), 'db-outage', { ORDER_RATE_LIMIT: '1000000/1' });
});

afterAll(async () => {
  await server?.stop();
  await proxy?.close();
  await db?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One client of an intent, as the SDK behaves: the same key on every try; after a 503 it waits
 * Retry-After, after RequestInProgress its retryAfterMs. Every reply is kept for the assertions.
 */
async function client(intent: Intent, replies: Reply[]): Promise<string> {
  for (;;) {
    const reply = await postGraphQL<{ createOrder: CreateOrderAnswer }>(
      server.url,
      CREATE_ORDER,
      { key: intent.key, input: intent.input },
      { token: intent.token },
    );
    replies.push(reply);
    const answer = reply.body.data?.createOrder;
    if (reply.status === 503) await sleep(Number(reply.headers['retry-after'] ?? 1) * 1000);
    else if (answer?.__typename === 'RequestInProgress') await sleep(answer.retryAfterMs ?? 100);
    else if (answer?.order || answer?.originalOrder) return (answer.order ?? answer.originalOrder)!.id;
    else throw new Error(`unexpected reply ${reply.status} ${JSON.stringify(reply.body)}`);
  }
}

describe('PostgreSQL unreachable under a storm', () => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After (never INTERNAL_SERVER_ERROR), and every intent ends with exactly one order', async () => {
    const intents = await makeIntents(INTENTS, [{ sku: 'OUTAGE-1', quantity: 2 }], (customerId) =>
      server.tokenFor(customerId),
    );
    const replies: Reply[] = [];
    const clients = intents.flatMap((intent) => Array.from({ length: CLIENTS_PER_INTENT }, () => intent));
    const startedAt = Date.now();
    const storm = Promise.all(
      clients.map(async (intent, index) => {
        await sleep((SPREAD_MS * index) / clients.length);
        return { key: intent.key, orderId: await client(intent, replies) };
      }),
    );

    await waitUntil(`${CUT_AFTER_REPLIES} replies`, async () => replies.length >= CUT_AFTER_REPLIES, 30_000, 10);
    proxy.cut();
    const answeredBeforeCut = replies.length;
    await sleep(OUTAGE_MS / 2);
    const readyDuringOutage = await request(server.url, '/readyz');
    await sleep(OUTAGE_MS / 2);
    const repliesDuringOutage = replies.length - answeredBeforeCut;
    proxy.restore();
    const finals = await storm;
    const readyAfter = await request(server.url, '/readyz');

    const statuses: Record<string, number> = {};
    for (const reply of replies) {
      const label = `${reply.status} ${String((reply.body.errors?.[0]?.extensions?.['code'] as string | undefined) ?? reply.body.data?.createOrder.__typename)}`;
      statuses[label] = (statuses[label] ?? 0) + 1;
    }
    const unavailable = replies.filter((reply) => reply.status === 503);
    const orders = await db.query<{ idempotencyKey: string; id: string; totalCents: number }>(
      'SELECT "idempotencyKey", "id", "totalCents" FROM "Order" WHERE "idempotencyKey" = ANY($1)',
      [intents.map((intent) => intent.key)],
    );
    const [{ stock }] = await db.query<{ stock: number }>('SELECT "stock" FROM "Product" WHERE "sku" = $1', [
      'OUTAGE-1',
    ]);
    console.log(
      `database outage: ${clients.length} clients (${INTENTS} intents × ${CLIENTS_PER_INTENT}), ${replies.length} requests ` +
        `(${answeredBeforeCut} answered before the cut, ${repliesDuringOutage} during ${OUTAGE_MS} ms of outage), ` +
        `${unavailable.length} × 503; by reply ${JSON.stringify(statuses)}; proxy ${JSON.stringify(proxy.counts)}; ` +
        `${orders.length} orders; ${Date.now() - startedAt} ms in all`,
    );

    // The cut happened: live connections were reset and new ones refused while it lasted.
    expect(proxy.counts.reset).toBeGreaterThan(0);
    expect(proxy.counts.refused).toBeGreaterThan(0);
    expect(answeredBeforeCut).toBeGreaterThan(0);
    // Clients saw an outage, never a bug.
    expect(unavailable.length).toBeGreaterThan(0);
    for (const reply of unavailable) {
      expect(reply.headers['retry-after']).toBe('1');
      expect(reply.body).toEqual({
        data: null,
        errors: [
          {
            message: expect.stringMatching(/^The database is unavailable/),
            // createOrder itself, or a field of its answer read after the commit (the retry then gets DuplicateDetected).
            path: expect.arrayContaining(['createOrder']),
            extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterMs: 1000, requestId: reply.headers['x-request-id'] },
          },
        ],
      });
    }
    expect(replies.filter((reply) => JSON.stringify(reply.body).includes('INTERNAL_SERVER_ERROR'))).toEqual([]);
    expect(
      replies.filter((reply) => reply.status !== 200 && reply.status !== 503).map((reply) => reply.status),
    ).toEqual([]);
    // The probe kept answering: down during the outage, ready after it.
    expect([readyDuringOutage.status, (JSON.parse(readyDuringOutage.text) as { down: string[] }).down]).toEqual([
      503,
      ['postgres'],
    ]);
    expect(readyAfter.status).toBe(200);
    // Exactly once: one order per intent, every client of an intent answered with it, stock taken once each.
    expect(orders).toHaveLength(INTENTS);
    expect(new Set(orders.map((order) => order.idempotencyKey)).size).toBe(INTENTS);
    expect(orders.every((order) => order.totalCents === 1_000)).toBe(true);
    const orderOf = new Map(orders.map((order) => [order.idempotencyKey, order.id]));
    expect(finals.filter((final) => final.orderId !== orderOf.get(final.key))).toEqual([]);
    expect(stock).toBe(STOCK - 2 * INTENTS);
  }, 120_000);
});
