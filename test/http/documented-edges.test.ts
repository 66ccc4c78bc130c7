import { createHmac } from 'node:crypto';
import net from 'node:net';
import { postRaw } from '../support/graphql-client';
import { request } from '../support/http';
import { withTestServer } from '../support/test-server-fixture';

// Edges docs/http.md describes as they are, checked against a real server: what a far `exp` does,
// which POST gets 415, and who answers a header too large (Node's HTTP parser, before Express).

const fixture = withTestServer('documented-edges');
const json = (text: string): unknown => JSON.parse(text);

/** An HS256 token with exactly these claims (jose's SignJWT would not write an `exp` of 1e308 or none). */
function rawToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  const signature = createHmac('sha256', fixture.server.config.jwtSecret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

describe('Authorization: exp', () => {
  const viewer = (token: string) =>
    postRaw(fixture.server.url, JSON.stringify({ query: '{ orders(first: 1) { id } }' }), { token });

  it('refuses a token without exp (it would never expire) as any bad token', async () => {
    const answer = json((await viewer(rawToken({ sub: 'kim', role: 'customer' }))).text);
    expect(answer).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('accepts a far exp (9999-12-31, 1e308): no maximum lifetime is enforced', async () => {
    for (const exp of [253402300800, 1e308]) {
      const answer = json((await viewer(rawToken({ sub: 'kim', role: 'customer', exp }))).text);
      expect(answer).toEqual({ data: { orders: [] } });
    }
  });
});

it('answers a POST whose JSON declares a charset other than UTF-… with 415 BAD_REQUEST', async () => {
  const response = await postRaw(fixture.server.url, JSON.stringify({ query: '{ __typename }' }), {
    headers: { 'content-type': 'application/json; charset=latin1' },
  });
  expect([response.status, json(response.text)]).toEqual([
    415,
    {
      errors: [
        {
          message: 'The body\'s charset "latin1" is not supported: send JSON in UTF-8.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    },
  ]);
});

it('serves a POST whose JSON declares utf8 or US-ASCII (aliases of UTF-8 and of a subset of it), names a refused charset as sent', async () => {
  for (const contentType of [
    'application/json;charset=utf8',
    'application/json; charset=US-ASCII',
    'application/json; charset=csUTF8',
  ]) {
    const response = await postRaw(fixture.server.url, JSON.stringify({ query: '{ __typename }' }), {
      headers: { 'content-type': contentType },
    });
    expect([contentType, response.status, json(response.text)]).toEqual([
      contentType,
      200,
      { data: { __typename: 'Query' } },
    ]);
  }
  const refused = await postRaw(fixture.server.url, JSON.stringify({ query: '{ __typename }' }), {
    headers: { 'content-type': 'application/json; charset=Latin1' },
  });
  expect([refused.status, json(refused.text)]).toEqual([
    415,
    {
      errors: [
        {
          message: 'The body\'s charset "Latin1" is not supported: send JSON in UTF-8.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    },
  ]);
});

it('answers a POST in a Content-Encoding it cannot read with 415 BAD_REQUEST naming it', async () => {
  const response = await postRaw(fixture.server.url, JSON.stringify({ query: '{ __typename }' }), {
    headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
  });
  expect([response.status, json(response.text)]).toEqual([
    415,
    {
      errors: [
        {
          message:
            'The body\'s Content-Encoding "compress" is not supported: send it uncompressed, or as gzip, deflate or br.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    },
  ]);
});

it("answers headers over Node's 16 KiB with a bare 431 (Node's HTTP parser, before Express and its request id)", async () => {
  const response = await request(fixture.server.url, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-padding': 'x'.repeat(17_000) },
    body: '{"query":"{ __typename }"}',
  });
  expect([response.status, response.text, response.headers['x-request-id']]).toEqual([431, '', undefined]);
});

/** Writes `head` as it is (no client would send a control byte in a header) and reads until the server closes. */
function rawExchange(baseUrl: string, head: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(head));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', reject);
  });
}

it("answers a header holding a control byte with a bare 400 (Node's HTTP parser, before Express and its request id)", async () => {
  const body = '{"query":"{ __typename }"}';
  // In a value (SOH, ESC, BEL) or in a name.
  for (const [path, header] of [
    ['/graphql', 'x-note: a\u0001b'],
    ['/graphql', 'x-note: a\u001bb'],
    ['/api/v1/orders', 'x-note: a\u0007b'],
    ['/api/v1/orders', 'x-no\u0001te: a'],
  ]) {
    const head =
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n` +
      `${header}\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
    // The whole answer: a status line and Connection: close, no body, no X-Request-Id.
    expect([path, header, await rawExchange(fixture.server.url, head)]).toEqual([
      path,
      header,
      'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n',
    ]);
  }
});

it('refuses an Idempotency-Key header sent twice (Node joins the copies) with 400 REPEATED_IDEMPOTENCY_KEY, POST or GET', async () => {
  const key = 'repeated-key-0001';
  const refusal = {
    errors: [
      {
        message: 'Idempotency-Key was sent 2 times; send it once.',
        extensions: { code: 'REPEATED_IDEMPOTENCY_KEY' },
      },
    ],
  };
  const headers = { 'content-type': 'application/json', 'idempotency-key': [key, key] };
  // POST: the direct path (graphql-endpoint.ts); GET: Express's.
  const posted = await request(fixture.server.url, '/graphql', {
    method: 'POST',
    headers,
    body: '{"query":"{ __typename }"}',
  });
  const got = await request(fixture.server.url, '/graphql?query=%7B__typename%7D', { headers });
  for (const answer of [posted, got]) expect([answer.status, json(answer.text)]).toEqual([400, refusal]);
  // Sent once, the same key is taken.
  const once = await request(fixture.server.url, '/graphql', {
    method: 'POST',
    headers: { ...headers, 'idempotency-key': key },
    body: '{"query":"{ __typename }"}',
  });
  expect([once.status, json(once.text)]).toEqual([200, { data: { __typename: 'Query' } }]);
});
