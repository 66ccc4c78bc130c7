import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { launchChromium } from '../support/browser';
import { request } from '../support/http';
import { CREATE_ORDER } from '../support/operations';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

// A real browser (test/support/browser.ts) on a page of another origin calls the API:
// the browser itself sends the preflight, enforces the answer and hides unexposed headers.

interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/** A plain page on a loopback port of its own: an origin other than the API's. */
async function startPageServer(): Promise<PageServer> {
  const pages = http.createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title>'),
  );
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(pages.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => pages.close(() => resolve())),
  };
}

let db: TestDatabase;
let server: TestServer;
let shop: PageServer;
let foreign: PageServer;
let browser: Browser;

beforeAll(async () => {
  db = await createTestDatabase('cors_browser');
  await seedProducts(db.url, [{ sku: 'CORS-B', priceCents: 300, stock: 100 }]);
  [shop, foreign] = await Promise.all([startPageServer(), startPageServer()]);
  server = await startTestServer(db.url, 'cors-browser', { CORS_ORIGINS: shop.origin });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([shop?.close(), foreign?.close()]);
  await db?.drop();
});

interface PageAnswer {
  ok: boolean;
  typename?: string;
  replayed?: string | null;
  requestId?: string | null;
  error?: string;
}

/** Places an order from a page of `origin` with fetch, as a shop front would; reads what the browser lets it read. */
async function orderFrom(origin: string, key: string): Promise<PageAnswer> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(origin);
    const call = { url: `${server.url}/graphql`, token: await server.tokenFor('bea'), query: CREATE_ORDER, key };
    const send = ({ url, token, query, key }: typeof call) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
        body: JSON.stringify({
          query,
          variables: { key, input: { currency: 'EUR', items: [{ sku: 'CORS-B', quantity: 1 }] } },
        }),
      }).then(
        async (response) => ({
          ok: response.ok,
          typename: ((await response.json()) as { data: { createOrder: { __typename: string } } }).data.createOrder
            .__typename,
          replayed: response.headers.get('idempotent-replayed'),
          requestId: response.headers.get('x-request-id'),
        }),
        (error: Error) => ({ ok: false, error: error.message }),
      );
    // Twice from the same page: the second request reuses the cached preflight.
    await page.evaluate(send, call);
    return await page.evaluate(send, call);
  } finally {
    await context.close();
  }
}

/** Preflights the server has answered so far (from its own request metrics). */
async function preflightsServed(): Promise<number> {
  const metrics = (await request(server.url, '/metrics')).text;
  const line = metrics
    .split('\n')
    .find(
      (text) =>
        text.startsWith('order_gate_http_request_seconds_count{') &&
        text.includes('method="OPTIONS"') &&
        text.includes('status="204"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('CORS in a real browser', () => {
  it('lets a page of an allowed origin place an order and read Idempotent-Replayed and X-Request-Id, after one cached preflight', async () => {
    const answer = await orderFrom(shop.origin, 'cors-browser-0001');
    expect(answer).toEqual({
      ok: true,
      typename: 'DuplicateDetected',
      replayed: 'true',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await preflightsServed()).toBe(1);
    expect(await db.query('SELECT 1 FROM "Order" WHERE "idempotencyKey" = $1', ['cors-browser-0001'])).toHaveLength(1);
  });

  it('stops a page of another origin at the preflight: its fetch fails and no order is placed', async () => {
    const answer = await orderFrom(foreign.origin, 'cors-browser-0002');
    expect(answer).toEqual({ ok: false, error: 'Failed to fetch' });
    expect(await db.query('SELECT 1 FROM "Order" WHERE "idempotencyKey" = $1', ['cors-browser-0002'])).toEqual([]);
  });
});
