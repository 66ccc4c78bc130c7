import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrderGateClient, OrderGateError } from '../../src/client';
import type { RetryPolicy } from '../../src/client';

// Answers the SDK meets from outside its own tests' server: a union member added to the schema
// after an app was installed, and a proxy's or CDN's 429/503 page. A local HTTP stub sends them
// as scripted, over real HTTP to the SDK's real fetch (the real server is in order-gate-client.test.ts).

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

interface Stub {
  url: string;
  /** The idempotency key of each request, in order. */
  keys: string[];
  close: () => Promise<void>;
}

const stubs: Stub[] = [];

async function startStub(replies: Reply[]): Promise<Stub> {
  const keys: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const sent = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { key: string } };
      keys.push(sent.variables.key);
      const reply = replies.shift() ?? { status: 500, body: 'script ran out' };
      response.writeHead(reply.status ?? 200, reply.headers ?? { 'content-type': 'application/json' });
      response.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stub: Stub = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    keys,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  stubs.push(stub);
  return stub;
}

afterAll(async () => {
  await Promise.all(stubs.map((stub) => stub.close()));
});

function clientOf(stub: Stub, retry: Partial<RetryPolicy> = {}): { client: OrderGateClient; waits: number[] } {
  const waits: number[] = [];
  const client = new OrderGateClient({
    url: stub.url,
    authToken: 'token',
    customerId: 'alice',
    retry: { sleep: async (ms) => void waits.push(ms), ...retry },
  });
  return { client, waits };
}

const input = { currency: 'EUR', items: [{ sku: 'A', quantity: 1 }] };

/** A GraphQL answer whose field is a member this SDK was built without. */
function unknownMember(field: string): Reply {
  return { body: JSON.stringify({ data: { [field]: { __typename: 'PaymentRequired', paymentUrl: 'https://pay' } } }) };
}

describe('an answer whose __typename the SDK does not know (a union member added later)', () => {
  it('createOrder: UnrecognizedAnswer with the typename, the data and the key it made, not thrown, not retried', async () => {
    const stub = await startStub([unknownMember('createOrder'), unknownMember('createOrder')]);
    const { client, waits } = clientOf(stub);
    const outcome = await client.createOrder(input);
    expect(outcome).toEqual({
      ok: false,
      failure: {
        kind: 'UnrecognizedAnswer',
        typename: 'PaymentRequired',
        data: { __typename: 'PaymentRequired', paymentUrl: 'https://pay' },
      },
      idempotencyKey: expect.stringMatching(/^ck1\./),
      attempts: 1,
    });
    expect(stub.keys).toEqual([outcome.idempotencyKey]);
    expect(waits).toEqual([]);
  });

  // Every lifecycle call of the SDK, each with the field its operation answers in.
  const lifecycleCalls: [string, (client: OrderGateClient, key: string) => Promise<unknown>][] = [
    ['cancelOrder', (client, key) => client.cancelOrder('o-1', 'changed my mind', { idempotencyKey: key })],
    ['refundOrder', (client, key) => client.refundOrder('o-1', { amountCents: 100 }, { idempotencyKey: key })],
    [
      'changeShippingAddress',
      (client, key) =>
        client.changeShippingAddress(
          'o-1',
          { name: 'A', line1: '1 Road', city: 'Town', postalCode: '1000', country: 'BE' },
          { idempotencyKey: key },
        ),
    ],
    ['adjustInventory', (client, key) => client.adjustInventory('A', 5, 'restock', { idempotencyKey: key })],
    ['releaseHeldOrder', (client, key) => client.releaseHeldOrder('h-1', { idempotencyKey: key })],
    ['dismissHeldOrder', (client, key) => client.dismissHeldOrder('h-1', 'spam', { idempotencyKey: key })],
  ];

  it.each(lifecycleCalls)(
    '%s: UnrecognizedAnswer with the key, not an ok answer typed as a known member, not retried',
    async (field, call) => {
      const stub = await startStub([unknownMember(field), unknownMember(field)]);
      const { client } = clientOf(stub);
      expect(await call(client, 'persisted-key-9')).toEqual({
        ok: false,
        failure: {
          kind: 'UnrecognizedAnswer',
          typename: 'PaymentRequired',
          data: { __typename: 'PaymentRequired', paymentUrl: 'https://pay' },
        },
        idempotencyKey: 'persisted-key-9',
        attempts: 1,
      });
      expect(stub.keys).toEqual(['persisted-key-9']);
    },
  );
});

const HTML = { 'content-type': 'text/html' };
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `at` (whole seconds) in each of RFC 9110's HTTP-date forms. */
function httpDates(at: Date): { imf: string; rfc850: string; asctime: string } {
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
  const day = DAYS[at.getUTCDay()];
  const month = MONTHS[at.getUTCMonth()];
  return {
    imf: at.toUTCString(),
    rfc850: `${day}, ${two(at.getUTCDate())}-${month}-${two(at.getUTCFullYear() % 100)} ${time} GMT`,
    asctime: `${day.slice(0, 3)} ${month} ${String(at.getUTCDate()).padStart(2, ' ')} ${time} ${at.getUTCFullYear()}`,
  };
}

describe("a proxy's or CDN's 429: its Retry-After as retryAfterMs, like the server's RATE_LIMITED", () => {
  it('HTML body, Retry-After: 60 → Rejected HTTP_429 with retryAfterMs 60 000, not retried', async () => {
    const stub = await startStub([
      { status: 429, headers: { ...HTML, 'retry-after': '60' }, body: '<html><h1>429 Too Many Requests</h1></html>' },
    ]);
    const { client, waits } = clientOf(stub);
    const outcome = await client.createOrder(input, { idempotencyKey: 'persisted-key-1' });
    expect(outcome).toEqual({
      ok: false,
      failure: { kind: 'Rejected', code: 'HTTP_429', message: 'HTTP 429', retryAfterMs: 60_000 },
      idempotencyKey: 'persisted-key-1',
      attempts: 1,
    });
    expect(stub.keys).toEqual(['persisted-key-1']);
    expect(waits).toEqual([]);
  });

  it('issueOrderToken: thrown as an OrderGateError HTTP_429 with retryAfterMs, not retried', async () => {
    const stub = await startStub([{ status: 429, headers: { ...HTML, 'retry-after': '30' }, body: '<h1>429</h1>' }]);
    const { client, waits } = clientOf(stub);
    const thrown = await client.issueOrderToken().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OrderGateError);
    expect(thrown).toMatchObject({ kind: 'Rejected', code: 'HTTP_429', retryAfterMs: 30_000, attempts: 1 });
    expect(stub.keys).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("an empty body, and a CDN's JSON that is no GraphQL answer: the same (not retried as Unavailable)", async () => {
    const stub = await startStub([
      { status: 429, headers: { 'retry-after': '7' } },
      {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '5' },
        body: '{"message":"Too Many Requests"}',
      },
    ]);
    const { client } = clientOf(stub);
    expect(await client.createOrder(input)).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'Rejected', code: 'HTTP_429', retryAfterMs: 7_000 },
    });
    expect(await client.cancelOrder('o-1', 'why')).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'Rejected', code: 'HTTP_429', retryAfterMs: 5_000 },
    });
    expect(stub.keys).toHaveLength(2);
  });

  it('Retry-After as an HTTP-date in any of the three forms RFC 9110 has a recipient accept', async () => {
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 + 90_000);
    const dates = httpDates(at);
    const stub = await startStub(
      [dates.imf, dates.rfc850, dates.asctime].map((date) => ({
        status: 429,
        headers: { ...HTML, 'retry-after': date },
      })),
    );
    const { client } = clientOf(stub);
    for (const date of Object.values(dates)) {
      const outcome = await client.createOrder(input);
      if (outcome.ok || outcome.failure.kind !== 'Rejected') throw new Error(`not Rejected for ${date}`);
      expect({ date, code: outcome.failure.code }).toEqual({ date, code: 'HTTP_429' });
      // The date is 90 s ahead in whole seconds; the request took a moment.
      const { retryAfterMs } = outcome.failure;
      expect({ date, inRange: retryAfterMs !== undefined && retryAfterMs > 85_000 && retryAfterMs <= 90_000 }).toEqual({
        date,
        inRange: true,
      });
    }
  });
});

describe('a Retry-After that is neither delay-seconds nor an HTTP-date', () => {
  it('is no hint (not "retry now"): a 503 with `Retry-After: 1.5` ends as Unavailable without retryAfterMs', async () => {
    const stub = await startStub([{ status: 503, headers: { ...HTML, 'retry-after': '1.5' }, body: 'busy' }]);
    const { client } = clientOf(stub, { maxAttempts: 1 });
    expect(await client.createOrder(input, { idempotencyKey: 'persisted-key-2' })).toEqual({
      ok: false,
      failure: { kind: 'Unavailable', code: 'HTTP_503', message: 'HTTP 503' },
      idempotencyKey: 'persisted-key-2',
      attempts: 1,
    });
  });
});

describe("a 2xx whose data is not the operation's answer (another GraphQL server, a gateway that dropped the field)", () => {
  const shapes = [
    '{"data":{}}',
    '{"data":[]}',
    '{"data":{"createOrder":null,"cancelOrder":null,"issueOrderToken":null}}',
  ];

  it('createOrder and the lifecycle calls: Unavailable MALFORMED_RESPONSE, retried with the same key, not thrown', async () => {
    for (const body of [...shapes, '{"data":{"createOrder":{},"cancelOrder":{"reason":"x"}}}']) {
      const stub = await startStub([{ body }, { body }, { body }, { body }]);
      const { client } = clientOf(stub, { maxAttempts: 2 });
      const created = await client.createOrder(input);
      expect({ body, created }).toMatchObject({
        body,
        created: { ok: false, attempts: 2, failure: { kind: 'Unavailable', code: 'MALFORMED_RESPONSE' } },
      });
      const cancelled = await client.cancelOrder('o-1', 'why');
      expect({ body, cancelled }).toMatchObject({
        body,
        cancelled: { ok: false, attempts: 2, failure: { kind: 'Unavailable', code: 'MALFORMED_RESPONSE' } },
      });
      expect(new Set(stub.keys.slice(0, 2))).toEqual(new Set([created.idempotencyKey]));
    }
  });

  it('issueOrderToken: throws OrderGateError MALFORMED_RESPONSE instead of resolving to no token', async () => {
    for (const body of [...shapes, '{"data":{"issueOrderToken":{"expiresAt":"2030-01-01T00:00:00Z"}}}']) {
      const stub = await startStub([{ body }, { body }]);
      const { client } = clientOf(stub, { maxAttempts: 2 });
      let thrown: unknown;
      await client.issueOrderToken().then(
        (issued) => (thrown = { resolved: issued }),
        (error: unknown) => (thrown = error),
      );
      expect(thrown).toBeInstanceOf(OrderGateError);
      expect({ body, thrown }).toMatchObject({
        body,
        thrown: { kind: 'Unavailable', code: 'MALFORMED_RESPONSE', attempts: 2 },
      });
    }
  });
});

describe('a GraphQL error without a message (not sent by Order Gate itself)', () => {
  it('the failure and the OrderGateError still carry a message, never undefined', async () => {
    for (const body of ['{"errors":[{}]}', '{"errors":[{"message":5,"extensions":{"code":"BAD_USER_INPUT"}}]}']) {
      const stub = await startStub([{ body }, { body }]);
      const { client } = clientOf(stub);
      const outcome = await client.createOrder(input);
      if (outcome.ok || outcome.failure.kind !== 'Rejected')
        throw new Error(`not Rejected: ${JSON.stringify(outcome)}`);
      expect({ body, message: outcome.failure.message }).toEqual({
        body,
        message: 'A GraphQL error without a message.',
      });
      const thrown = await client.issueOrderToken().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(thrown).toMatchObject({ message: 'issueOrderToken failed: A GraphQL error without a message.' });
    }
  });
});
