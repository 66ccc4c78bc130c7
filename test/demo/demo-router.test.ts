import pino from 'pino';
import { createApp } from '../../src/app/create-app';
import type { App } from '../../src/app/create-app';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postGraphQL } from '../support/graphql-client';
import { deleteRedisPrefix } from '../support/redis';
import { startTestServer, testEnvironment } from '../support/server';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('demo_router');
});

afterAll(async () => {
  await db?.drop();
});

const postSession = (server: { url: string }, body: string) =>
  fetch(`${server.url}/demo/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('/demo outside production', () => {
  /** The server, and its log lines (kept to check what a fault logs). */
  const server = { url: '', logs: [] as Record<string, unknown>[] };
  let app: App | undefined;
  let redisPrefix = '';

  beforeAll(async () => {
    const config = loadConfig(testEnvironment(db.url, 'demo-dev'));
    redisPrefix = config.redisKeyPrefix;
    const sink = { write: (line: string) => server.logs.push(JSON.parse(line) as Record<string, unknown>) };
    app = await createApp(config, pino({ level: 'info' }, sink));
    server.url = (await app.start()).url;
  });
  afterAll(async () => {
    await app?.stop();
    await deleteRedisPrefix(redisPrefix).catch(() => undefined);
  });

  it('serves the checkout page and its script', async () => {
    const page = await fetch(`${server.url}/demo`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<button id="place-order"');
    const script = await fetch(`${server.url}/demo/checkout.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('OrderGate.OrderGateClient');
  });

  it('starts a session whose bearer token works for GraphQL, and creates the demo products', async () => {
    const response = await postSession(server, JSON.stringify({ customerId: 'demo-1' }));
    expect(response.status).toBe(200);
    const session = (await response.json()) as { customerId: string; token: string; skus: string[] };
    expect(session).toMatchObject({ customerId: 'demo-1', skus: ['DEMO-TEA', 'DEMO-MUG', 'DEMO-HONEY'] });
    const product = await postGraphQL<{ product: { stock: number } | null }>(
      server.url,
      '{ product(sku: "DEMO-TEA") { stock } }',
      {},
      { token: session.token },
    );
    expect(product.body.data?.product).toEqual({ stock: 500 });
  });

  it('refuses a bad shopper name or an unreadable body with 400, a stable code and no stack', async () => {
    const badName = 'customerId must be 1-64 characters of A-Z a-z 0-9 _ -';
    const refusals = [
      [JSON.stringify({ customerId: 'a b' }), 400, 'BAD_USER_INPUT', badName],
      [JSON.stringify({}), 400, 'BAD_USER_INPUT', badName],
      ['{not json', 400, 'BAD_REQUEST', 'The request could not be read.'],
      [JSON.stringify({ customerId: 'x'.repeat(5_000) }), 413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'],
    ] as const;
    for (const [body, status, code, message] of refusals) {
      const response = await postSession(server, body);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status,
        body: { errors: [{ message, extensions: { code } }] },
      });
    }
  });

  it('answers a session body that is not JSON with 415 naming its media type, not blaming the name', async () => {
    const body = JSON.stringify({ customerId: 'demo-2' });
    const refusals = [
      [
        { 'content-type': 'text/plain' },
        'The body\'s media type "text/plain" is not supported: send JSON (content-type application/json).',
      ],
      [{}, 'The body came without a content type: send JSON (content-type application/json).'],
    ] as const;
    for (const [headers, message] of refusals) {
      // fetch labels a string body text/plain by itself: a Blob without a type goes without one.
      const sent = 'content-type' in headers ? body : new Blob([body]);
      const response = await fetch(`${server.url}/demo/session`, { method: 'POST', headers, body: sent });
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 415,
        body: { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] },
      });
    }
  });

  it('tells the browser that the page has no icon (no request for /favicon.ico)', async () => {
    const page = await (await fetch(`${server.url}/demo`)).text();
    expect(page).toContain('<link rel="icon" href="data:," />');
  });

  it('answers a fault while starting a session as 500 INTERNAL_SERVER_ERROR with the request id, logged as "demo session failed"', async () => {
    // A real database failure: the demo products' table is gone for this request.
    await db.query('ALTER TABLE "Product" RENAME TO "ProductAway"');
    try {
      const response = await postSession(server, JSON.stringify({ customerId: 'demo-2' }));
      const requestId = response.headers.get('x-request-id');
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 500,
        body: {
          errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
        },
      });
      expect(requestId).toMatch(/\S/);
      // docs/tokens-and-sdk.md: the id to quote finds this line, with the database's error.
      const logged = server.logs
        .filter((line) => line['msg'] === 'demo session failed')
        .map((line) => ({ level: line['level'], requestId: line['requestId'], err: typeof line['err'] }));
      expect(logged).toEqual([{ level: 50, requestId, err: 'object' }]);
    } finally {
      await db.query('ALTER TABLE "ProductAway" RENAME TO "Product"');
    }
  });
});

describe('/demo in production', () => {
  it('does not exist: no page, and above all no endpoint that signs tokens', async () => {
    const server = await startTestServer(db.url, 'demo-prod', {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-some-length',
    });
    try {
      expect((await fetch(`${server.url}/demo`)).status).toBe(404);
      expect((await postSession(server, JSON.stringify({ customerId: 'demo-1' }))).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
