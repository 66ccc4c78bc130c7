import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postGraphQL } from '../support/graphql-client';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('demo_router');
});

afterAll(async () => {
  await db?.drop();
});

const postSession = (server: TestServer, body: string) =>
  fetch(`${server.url}/demo/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('/demo outside production', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(db.url, 'demo-dev');
  });
  afterAll(() => server?.stop());

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

  it('refuses a bad shopper name or an unreadable body with 400 and no stack', async () => {
    for (const body of [JSON.stringify({ customerId: 'a b' }), JSON.stringify({}), '{not json']) {
      const response = await postSession(server, body);
      expect(response.status).toBe(400);
      expect(await response.text()).not.toMatch(/at .*\.js/);
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
