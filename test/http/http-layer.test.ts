import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { postGraphQL, postRaw } from '../support/graphql-client';
import { request } from '../support/http';
import { PRODUCT } from '../support/operations';
import { freePort } from '../support/redis-server';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { withTestServer } from '../support/test-server-fixture';

const fixture = withTestServer('http-layer');

const json = (text: string): unknown => JSON.parse(text);

describe("the server's root", () => {
  it('GET / sends a browser to /graphql, where the landing page is', async () => {
    const root = await request(fixture.server.url, '/', { headers: { accept: 'text/html' } });
    expect([root.status, root.headers['location']]).toEqual([302, '/graphql']);
    const landing = await request(fixture.server.url, root.headers['location'] as string, {
      headers: { accept: 'text/html' },
    });
    expect([landing.status, landing.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/html/)]);
  });
});

describe('probes', () => {
  it('GET /healthz answers 200 while the process is up', async () => {
    const response = await request(fixture.server.url, '/healthz');
    expect([response.status, json(response.text)]).toEqual([200, { status: 'ok' }]);
  });

  it('GET /readyz answers 200 with both dependencies up', async () => {
    const response = await request(fixture.server.url, '/readyz');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect([response.status, json(response.text)]).toEqual([
      200,
      { status: 'ready', checks: { postgres: 'up', redis: 'up' } },
    ]);
  });

  // Orders go on without Redis (the database decides each one), so a load balancer reading /readyz
  // must not pull every instance for a Redis outage (found from outside, stop 39: it answered 503).
  it('GET /readyz answers 200 "degraded" naming Redis when Redis is unreachable (readiness-without-redis.test.ts: orders go on)', async () => {
    const noRedis = await startTestServer(fixture.db.url, 'readyz-redis', {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    try {
      const response = await request(noRedis.url, '/readyz');
      expect([response.status, json(response.text)]).toEqual([
        200,
        { status: 'degraded', down: ['redis'], checks: { postgres: 'up', redis: 'down' } },
      ]);
    } finally {
      await noRedis.stop();
    }
  });

  it('GET /readyz answers 503 naming PostgreSQL when the database is unreachable', async () => {
    const missing = new URL(fixture.db.url);
    missing.pathname = '/og_test_database_that_does_not_exist';
    const noDatabase = await startTestServer(missing.toString(), 'readyz-pg');
    try {
      const response = await request(noDatabase.url, '/readyz');
      expect([response.status, json(response.text)]).toEqual([
        503,
        { status: 'unavailable', down: ['postgres'], checks: { postgres: 'down', redis: 'up' } },
      ]);
    } finally {
      await noDatabase.stop();
    }
  });
});

describe('CSRF prevention', () => {
  const csrfMessage = /blocked as a potential Cross-Site Request Forgery/;

  it('blocks a simple GET (no content type, no preflight header) with 400', async () => {
    const response = await request(fixture.server.url, `/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(json(response.text)).toEqual({
      errors: [{ message: expect.stringMatching(csrfMessage), extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('blocks a text/plain POST (a form or fetch without preflight) with 400', async () => {
    const response = await postRaw(fixture.server.url, JSON.stringify({ query: '{ __typename }' }), {
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(400);
    expect(response.text).toMatch(csrfMessage);
  });

  it('refuses a mutation sent by GET even with the preflight header', async () => {
    const mutation =
      'mutation { upsertProduct(input: {sku: "X-1", name: "x", priceCents: 1, currency: "EUR", stock: 1}) { sku } }';
    const response = await request(fixture.server.url, `/graphql?query=${encodeURIComponent(mutation)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    expect(await fixture.db.query('SELECT 1 FROM "Product"')).toEqual([]);
  });

  it('blocks another method without a content type or preflight header with the same 400, a bare OPTIONS too', async () => {
    for (const method of ['DELETE', 'PUT', 'OPTIONS']) {
      const response = await request(fixture.server.url, '/graphql', { method });
      expect([method, response.status, json(response.text)]).toEqual([
        method,
        400,
        { errors: [{ message: expect.stringMatching(csrfMessage), extensions: { code: 'BAD_REQUEST' } }] },
      ]);
    }
  });

  it('answers another method that passes it (a JSON content type, or the preflight header) 405 with Allow: GET, POST', async () => {
    for (const [method, headers] of [
      ['DELETE', { 'content-type': 'application/json' }],
      ['OPTIONS', { 'content-type': 'application/json' }],
      ['PUT', { 'apollo-require-preflight': 'true' }],
    ] as const) {
      const response = await request(fixture.server.url, '/graphql', { method, headers });
      expect([method, response.status, response.headers['allow'], json(response.text)]).toEqual([
        method,
        405,
        'GET, POST',
        {
          errors: [{ message: 'Apollo Server supports only GET/POST requests.', extensions: { code: 'BAD_REQUEST' } }],
        },
      ]);
    }
  });

  it('serves a GET query that sends Content-Type: application/json without a preflight header; another non-simple type is 415', async () => {
    const query = `/graphql?query=${encodeURIComponent('{ __typename }')}`;
    const got = await request(fixture.server.url, query, { headers: { 'content-type': 'application/json' } });
    expect([got.status, json(got.text)]).toEqual([200, { data: { __typename: 'Query' } }]);
    const other = await request(fixture.server.url, query, { headers: { 'content-type': 'application/xml' } });
    expect(other.status).toBe(415);
  });

  it('serves JSON POSTs, and GET queries that carry the preflight header', async () => {
    const posted = await postGraphQL(fixture.server.url, '{ __typename }');
    expect([posted.status, posted.body]).toEqual([200, { data: { __typename: 'Query' } }]);
    const got = await request(fixture.server.url, `/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect([got.status, json(got.text)]).toEqual([200, { data: { __typename: 'Query' } }]);
  });
});

describe('request bodies', () => {
  it('answers a body over the 1 MiB default with 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(1_048_576) } });
    const response = await postRaw(fixture.server.url, body);
    expect([response.status, json(response.text)]).toEqual([
      413,
      { errors: [{ message: 'The request body is too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
    ]);
  });

  it('accepts a body just under the limit', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(1_000_000) } });
    const response = await postRaw(fixture.server.url, body);
    expect([response.status, json(response.text)]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('answers a batched (array) body with a clear 400', async () => {
    const response = await postRaw(
      fixture.server.url,
      JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    );
    expect([response.status, json(response.text)]).toEqual([
      400,
      { errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }] },
    ]);
  });

  it('serves a JSON body however its type is spelled, after a byte-order mark, with no ETag', async () => {
    const response = await postRaw(fixture.server.url, '\uFEFF{"query": "{ __typename }"}', {
      headers: { 'content-type': 'Application/JSON; Charset="UTF-8"' },
    });
    expect([response.status, json(response.text)]).toEqual([200, { data: { __typename: 'Query' } }]);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['etag']).toBeUndefined();
  });

  it('serves a gzip-compressed JSON body (the one path through Express that inflates it)', async () => {
    const response = await request(fixture.server.url, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ query: '{ __typename }' })),
    });
    expect([response.status, json(response.text)]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('answers a JSON POST past Express as Express answers it (a compressed copy takes the Express path)', async () => {
    const body = JSON.stringify({ query: 'query Probe { __typename }', operationName: 'Probe' });
    const headers = { 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-request-id': 'parity-1' };
    const direct = await request(fixture.server.url, '/graphql', { method: 'POST', headers, body });
    const viaExpress = await request(fixture.server.url, '/graphql', {
      method: 'POST',
      headers: { ...headers, 'content-encoding': 'gzip' },
      body: gzipSync(body),
    });
    const comparable = (response: typeof direct) => ({
      status: response.status,
      text: response.text,
      headers: Object.fromEntries(
        Object.entries(response.headers).filter(([name]) => !['date', 'content-length', 'etag'].includes(name)),
      ),
    });
    expect(comparable(direct)).toEqual(comparable(viaExpress));
    expect(direct.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(direct.headers['x-request-id']).toBe('parity-1');
  });

  it('answers a JSON body that is not an object or a list with 400 BAD_REQUEST', async () => {
    const response = await postRaw(fixture.server.url, '"{ __typename }"');
    expect([response.status, json(response.text)]).toEqual([
      400,
      { errors: [{ message: 'The request could not be read.', extensions: { code: 'BAD_REQUEST' } }] },
    ]);
  });

  it('keeps serving after a client left in the middle of its body', async () => {
    const { port } = new URL(fixture.server.url);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n');
        socket.write('Content-Length: 1000\r\n\r\n{"query": "{ __ty');
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    const posted = await postGraphQL(fixture.server.url, '{ __typename }');
    expect([posted.status, posted.body]).toEqual([200, { data: { __typename: 'Query' } }]);
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const response = await postRaw(fixture.server.url, '{"query": ');
    expect([response.status, json(response.text)]).toEqual([
      400,
      { errors: [{ message: 'The request could not be read.', extensions: { code: 'BAD_REQUEST' } }] },
    ]);
  });
});

describe('landing page and introspection', () => {
  const browser = { accept: 'text/html,application/xhtml+xml' };

  it('serves the embedded Apollo Sandbox to a browser in development, pointed at this endpoint', async () => {
    const response = await request(fixture.server.url, '/graphql', { headers: browser });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('embeddable-sandbox.cdn.apollographql.com');
    expect(response.text).toContain('new window.EmbeddedSandbox(');
  });

  it('answers introspection in development', async () => {
    const response = await postGraphQL<{ __schema: { mutationType: { name: string } } }>(
      fixture.server.url,
      '{ __schema { mutationType { name } } }',
    );
    expect(response.body).toEqual({ data: { __schema: { mutationType: { name: 'Mutation' } } } });
  });

  describe('in production', () => {
    let production: TestServer;
    beforeAll(async () => {
      production = await startTestServer(fixture.db.url, 'http-production', {
        NODE_ENV: 'production',
        JWT_SECRET: 'a-production-secret-for-tests',
      });
    });
    afterAll(() => production?.stop());

    it('serves the production landing page, without Sandbox', async () => {
      const response = await request(production.url, '/graphql', { headers: browser });
      expect(response.status).toBe(200);
      expect(response.text).toContain('apollo-server-landing-page.cdn.apollographql.com');
      expect(response.text).not.toContain('EmbeddedSandbox');
    });

    it('refuses introspection (a validation error: 200 for application/json, 400 for application/graphql-response+json)', async () => {
      const response = await postGraphQL(production.url, '{ __schema { mutationType { name } } }');
      expect(response.status).toBe(200);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(response.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
      expect(response.body.errors?.[0]?.message).toContain('GRAPHQL_INTROSPECTION=true'); // the knob here, not Apollo's option
      const strict = await postGraphQL(
        production.url,
        '{ __schema { mutationType { name } } }',
        {},
        { headers: { accept: 'application/graphql-response+json' } },
      );
      expect([strict.status, strict.headers['content-type']]).toEqual([
        400,
        'application/graphql-response+json; charset=utf-8',
      ]);
    });

    it('answers introspection when GRAPHQL_INTROSPECTION=true', async () => {
      const opened = await startTestServer(fixture.db.url, 'http-production-introspection', {
        NODE_ENV: 'production',
        JWT_SECRET: 'a-production-secret-for-tests',
        GRAPHQL_INTROSPECTION: 'true',
      });
      try {
        const response = await postGraphQL(opened.url, '{ __schema { mutationType { name } } }');
        expect(response.body).toEqual({ data: { __schema: { mutationType: { name: 'Mutation' } } } });
      } finally {
        await opened.stop();
      }
    });

    it('gives no "Did you mean" field suggestions', async () => {
      const token = await production.tokenFor('nina');
      const response = await postGraphQL(production.url, '{ product(sku: "X") { idd skuu } }', {}, { token });
      expect(response.status).toBe(200);
      expect(response.body.errors?.map((error) => error.message)).toEqual([
        'Cannot query field "idd" on type "Product".',
        'Cannot query field "skuu" on type "Product".',
      ]);
      const development = await postGraphQL(
        fixture.server.url,
        PRODUCT.replace('priceCents', 'priceCent'),
        { sku: 'X' },
        { token: await fixture.server.tokenFor('nina') },
      );
      expect(development.body.errors?.[0]?.message).toContain('Did you mean');
    });
  });
});
