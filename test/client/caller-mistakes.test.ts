import { OrderGateClient } from '../../src/client';
import type { OrderGateClientOptions } from '../../src/client';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startFlakyProxy } from '../support/flaky-proxy';
import type { FlakyProxy } from '../support/flaky-proxy';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

// A caller's mistakes in the options (a URL without its scheme, a token read with its line break)
// are told as such: not NETWORK_ERROR, the code of an unreachable server, after every retry.

let db: TestDatabase;
let server: TestServer;
const proxies: FlakyProxy[] = [];

beforeAll(async () => {
  db = await createTestDatabase('client_mistakes');
  server = await startTestServer(db.url, 'client-mistakes');
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await server?.stop();
  await db?.drop();
});

const cart = { currency: 'EUR', items: [{ sku: 'SDK-MISTAKE', quantity: 1 }] };

function construct(options: Partial<OrderGateClientOptions>): unknown {
  try {
    new OrderGateClient({ url: `${server.url}/graphql`, authToken: 'token', customerId: 'mia', ...options });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('options that cannot work', () => {
  it('a url that is no http(s) URL (in Node, no page resolves a relative one): InvalidArgumentError from the constructor', () => {
    for (const url of ['api.example.com/graphql', '/graphql', 'not a url', 'ftp://example.com/graphql']) {
      const thrown = construct({ url });
      expect(thrown).toBeInstanceOf(RangeError);
      expect({ url, thrown }).toMatchObject({
        url,
        thrown: { name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT' },
      });
    }
    expect(construct({ url: 'https://api.example.com/graphql' })).toBeUndefined();
    // A line break read with the token from a file is trimmed, as fetch trims header values.
    expect(construct({ authToken: 'eyJ.a\n' })).toBeUndefined();
  });

  it('a token string that cannot be sent in a header (a line break, a non-ASCII character): InvalidArgumentError', () => {
    for (const authToken of ['eyJ.a\nb', 'tökén€', 'a b']) {
      const thrown = construct({ authToken });
      expect({ authToken, thrown }).toMatchObject({
        authToken,
        thrown: { name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT' },
      });
    }
  });

  it('an authToken function giving such a token, or none: AUTH_TOKEN_FAILED, nothing sent', async () => {
    const proxy = await startFlakyProxy(server.url, []);
    proxies.push(proxy);
    for (const token of ['eyJ.a\nb', 'tökén€', undefined]) {
      const client = new OrderGateClient({
        url: `${proxy.url}/graphql`,
        authToken: () => token as string,
        customerId: 'mia',
        retry: { maxAttempts: 2, baseDelayMs: 1 },
      });
      const outcome = await client.createOrder(cart);
      expect({ token, outcome }).toMatchObject({
        token,
        outcome: {
          ok: false,
          attempts: 2,
          failure: {
            kind: 'Unavailable',
            code: 'AUTH_TOKEN_FAILED',
            message: expect.stringMatching(/^authToken failed: /),
          },
        },
      });
    }
    expect(proxy.taken).toEqual([]);
  });
});
