import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';

// A body of zero bytes is no body, however it is framed: Content-Length: 0 (fetch with body: ''),
// a chunked body that ends at once, or (as JSON) only whitespace. Each once read as `{}`: a release
// went through, a cancel said "reason is required", where no body at all is 400 BAD_REQUEST.

const fixture = withTestServer('partner-api-empty-body');

const NO_BODY = [400, 'BAD_REQUEST', 'The body must be JSON (content-type application/json).'];

/** Every partner API route that takes a JSON body, with ids no record has. */
const ROUTES = [
  '/api/v1/orders',
  `/api/v1/orders/${randomUUID()}/cancel`,
  `/api/v1/orders/${randomUUID()}/refunds`,
  `/api/v1/orders/${randomUUID()}/shipping-address`,
  '/api/v1/inventory/NO-SUCH-SKU/adjustments',
  `/api/v1/held-orders/${randomUUID()}/release`,
  `/api/v1/held-orders/${randomUUID()}/dismiss`,
];

/** How the (empty) body is framed: the headers after the common ones, then what follows them. */
const FRAMINGS: Record<string, { headers: string[]; body: string }> = {
  'no body at all': { headers: ['content-type: application/json'], body: '' },
  'Content-Length: 0': { headers: ['content-type: application/json', 'content-length: 0'], body: '' },
  'a chunked body of zero bytes': {
    headers: ['content-type: application/json', 'transfer-encoding: chunked'],
    body: '0\r\n\r\n',
  },
  'JSON of only whitespace': { headers: ['content-type: application/json', 'content-length: 4'], body: ' \r\n\t' },
  'Content-Length: 0 as text/plain (fetch)': {
    headers: ['content-type: text/plain;charset=UTF-8', 'content-length: 0'],
    body: '',
  },
  'a chunked body of zero bytes, no content type': { headers: ['transfer-encoding: chunked'], body: '0\r\n\r\n' },
};

/** Writes the request exactly as given (no client library adds a Content-Length) and reads the answer. */
function exchange(path: string, headers: string[], body: string): Promise<{ status: number; json: unknown }> {
  const { hostname, port } = new URL(fixture.server.url);
  const head = [`POST ${path} HTTP/1.1`, 'host: localhost', 'connection: close', ...headers].join('\r\n');
  return new Promise((resolve, reject) => {
    // Written, not ended: the server closes the connection once it has answered (connection: close).
    const socket = net.connect(Number(port), hostname, () => socket.write(`${head}\r\n\r\n${body}`));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
      const answer = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status, json: answer.startsWith('{') ? JSON.parse(answer) : answer });
    });
  });
}

describe('the partner REST API, an empty body', () => {
  it.each(Object.entries(FRAMINGS))('answers %s as no body, on every route that takes JSON', async (_, framing) => {
    const admin = await fixture.server.tokenFor('empty-body-admin', 'admin');
    const auth = [`authorization: Bearer ${admin}`];
    for (const path of ROUTES) {
      const headers = [...auth, `idempotency-key: ${newKey('empty')}`, ...framing.headers];
      const { status, json } = await exchange(path, headers, framing.body);
      const { code, detail } = json as { code: string; detail: string };
      expect([path, status, code, detail]).toEqual([path, ...NO_BODY]);
    }
  });

  it('keeps refusing a chunked body with bytes in another media type: 415', async () => {
    const admin = await fixture.server.tokenFor('empty-body-admin', 'admin');
    const headers = [
      `authorization: Bearer ${admin}`,
      `idempotency-key: ${newKey('empty')}`,
      'content-type: text/plain',
      'transfer-encoding: chunked',
    ];
    const { status, json } = await exchange(ROUTES[0], headers, '5\r\nhello\r\n0\r\n\r\n');
    expect([status, (json as { code: string }).code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('still reads `{}` as an empty object: a release of a held order that does not exist is 404', async () => {
    const admin = await fixture.server.tokenFor('empty-body-admin', 'admin');
    const body = '{}';
    const headers = [
      `authorization: Bearer ${admin}`,
      `idempotency-key: ${newKey('empty')}`,
      'content-type: application/json',
      `content-length: ${body.length}`,
    ];
    const { status, json } = await exchange(`/api/v1/held-orders/${randomUUID()}/release`, headers, body);
    expect([status, (json as { code: string }).code]).toEqual([404, 'HELD_ORDER_NOT_FOUND']);
  });
});
