import { ConfigError, loadConfig } from '../../src/config/config';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { request } from '../support/http';
import type { RawResponse } from '../support/http';
import { CREATE_ORDER } from '../support/operations';
import { startTestServer, testEnvironment } from '../support/server';
import type { TestServer } from '../support/server';

const SHOP = 'https://shop.example.com';
const SANDBOX = 'https://studio.apollographql.com';
const FOREIGN = 'https://evil.example.net';

let db: TestDatabase;
/** CORS_ORIGINS names the shop and the Sandbox. */
let server: TestServer;
const others: TestServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase('cors');
  await seedProducts(db.url, [{ sku: 'CORS-1', priceCents: 300, stock: 100 }]);
  server = await startTestServer(db.url, 'cors', { CORS_ORIGINS: `${SHOP},${SANDBOX}` });
});

afterAll(async () => {
  await Promise.all([server, ...others].map((started) => started?.stop()));
  await db?.drop();
});

async function another(label: string, extra: Record<string, string>): Promise<TestServer> {
  const started = await startTestServer(db.url, label, extra);
  others.push(started);
  return started;
}

/** A browser's preflight for a JSON POST with a bearer token and an Idempotency-Key. */
function preflight(
  target: TestServer,
  origin: string,
  requestHeaders = 'content-type,authorization,idempotency-key',
): Promise<RawResponse> {
  return request(target.url, '/graphql', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

/** The cross-origin POST that follows the preflight: createOrder with the key in the header too. */
async function crossOriginOrder(target: TestServer, origin: string, key: string): Promise<RawResponse> {
  return request(target.url, '/graphql', {
    method: 'POST',
    headers: {
      origin,
      'content-type': 'application/json',
      authorization: `Bearer ${await target.tokenFor('cora')}`,
      'idempotency-key': key,
    },
    body: JSON.stringify({
      query: CREATE_ORDER,
      variables: { key, input: { currency: 'EUR', items: [{ sku: 'CORS-1', quantity: 1 }] } },
    }),
  });
}

const corsHeadersOf = (response: RawResponse) =>
  Object.keys(response.headers)
    .filter((name) => name.startsWith('access-control-'))
    .sort();

describe('CORS with CORS_ORIGINS set', () => {
  it("answers an allowed origin's preflight: 204, the origin echoed, methods, the client headers, max-age, no credentials", async () => {
    const response = await preflight(
      server,
      SHOP,
      'content-type,authorization,idempotency-key,x-request-id,apollo-require-preflight,x-apollo-operation-name',
    );
    expect(response.status).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(SHOP);
    expect(response.headers['access-control-allow-methods']).toBe('GET,POST');
    expect(response.headers['access-control-allow-headers']?.split(',')).toEqual(
      expect.arrayContaining([
        'content-type',
        'authorization',
        'idempotency-key',
        'x-request-id',
        'apollo-require-preflight',
        'x-apollo-operation-name',
      ]),
    );
    expect(response.headers['access-control-max-age']).toBe('7200');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers['vary']).toMatch(/\bOrigin\b/);
  });

  it('lets an allowed origin read the answer of a cross-origin POST, with the idempotency headers exposed', async () => {
    const key = 'cors-order-0001';
    const first = await crossOriginOrder(server, SHOP, key);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toMatchObject({ data: { createOrder: { __typename: 'OrderCreated' } } });
    expect(first.headers['access-control-allow-origin']).toBe(SHOP);
    expect(first.headers['access-control-expose-headers']).toBe('Idempotent-Replayed,Retry-After,X-Request-Id');
    const replay = await crossOriginOrder(server, SHOP, key);
    expect([replay.headers['access-control-allow-origin'], replay.headers['idempotent-replayed']]).toEqual([
      SHOP,
      'true',
    ]);
    expect(await db.query('SELECT 1 FROM "Order" WHERE "idempotencyKey" = $1', [key])).toHaveLength(1);
  });

  it("serves Apollo's hosted Sandbox when it is listed", async () => {
    expect((await preflight(server, SANDBOX)).headers['access-control-allow-origin']).toBe(SANDBOX);
  });

  it('gives a foreign origin no CORS header at all, on the preflight and on the POST', async () => {
    const refused = await preflight(server, FOREIGN);
    expect(corsHeadersOf(refused)).toEqual([]);
    expect(refused.headers['vary']).toMatch(/\bOrigin\b/);
    // Said for whoever reads it in the network panel (it was Apollo's CSRF advice about content-type).
    expect([refused.status, JSON.parse(refused.text)]).toEqual([
      403,
      {
        errors: [
          {
            message: `The origin ${FOREIGN} may not call this API from a browser: it is not in CORS_ORIGINS.`,
            extensions: { code: 'CORS_ORIGIN_NOT_ALLOWED' },
          },
        ],
      },
    ]);
    const posted = await crossOriginOrder(server, FOREIGN, 'cors-foreign-0001');
    expect(corsHeadersOf(posted)).toEqual([]);
  });

  it('does not allow a request header the clients do not send', async () => {
    const response = await preflight(server, SHOP, 'content-type,x-something-else');
    expect(response.headers['access-control-allow-headers']?.split(',')).not.toContain('x-something-else');
  });
});

describe('CORS defaults', () => {
  it('refuses every origin in production when CORS_ORIGINS is unset, the Sandbox included', async () => {
    const production = await another('cors-production', {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-for-tests',
    });
    for (const origin of [SANDBOX, SHOP, 'http://localhost:3000']) {
      expect(corsHeadersOf(await preflight(production, origin))).toEqual([]);
    }
  });

  it('allows pages on this machine (any port) and the Sandbox in development, nothing else', async () => {
    const development = await another('cors-development', { NODE_ENV: 'development' });
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080', SANDBOX]) {
      expect((await preflight(development, origin)).headers['access-control-allow-origin']).toBe(origin);
    }
    for (const origin of [SHOP, 'https://localhost:5173', 'http://localhost.evil.example.net']) {
      expect(corsHeadersOf(await preflight(development, origin))).toEqual([]);
    }
  });

  it('answers any origin with * when CORS_ORIGINS=*, still without credentials', async () => {
    const open = await another('cors-any', { CORS_ORIGINS: '*' });
    const response = await preflight(open, FOREIGN);
    expect([
      response.status,
      response.headers['access-control-allow-origin'],
      response.headers['access-control-allow-credentials'],
    ]).toEqual([204, '*', undefined]);
  });
});

describe('CORS_ORIGINS validation', () => {
  const configWith = (value: string) => () =>
    loadConfig(testEnvironment('postgresql://postgres@127.0.0.1:5432/x', 'cors-config', { CORS_ORIGINS: value }));

  it('reads a list of exact origins, or *', () => {
    expect(configWith(`${SHOP}, http://localhost:3000`)().corsOrigins).toEqual([SHOP, 'http://localhost:3000']);
    expect(configWith('*')().corsOrigins).toBe('*');
  });

  it.each([
    ['a trailing slash', `${SHOP}/`],
    ['a path', `${SHOP}/checkout`],
    ['no scheme', 'shop.example.com'],
    ['* among origins', `*,${SHOP}`],
    ['a default port spelled out', 'https://shop.example.com:443'],
    ['the null origin', 'null'],
  ])('refuses %s with a message naming CORS_ORIGINS', (_what, value) => {
    expect(configWith(value)).toThrow(ConfigError);
    expect(configWith(value)).toThrow(/CORS_ORIGINS: expected \* or a comma-separated list of origins/);
  });
});
