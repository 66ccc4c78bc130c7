import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { OrderGateClient, OrderGateError } from '../../src/client';
import type { OrderGateClientOptions } from '../../src/client';
import { ordersWithKey, seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { startFlakyProxy } from '../support/flaky-proxy';
import type { FlakyProxy } from '../support/flaky-proxy';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

// What a caller can tell apart without reading messages: every failure has a stable `code`, the
// same in issueOrderToken's thrown OrderGateError as in createOrder's outcome. Against the real
// server (a bad sign-in, its rate limit), a port nobody listens on, and one that never answers.

let db: TestDatabase;
let server: TestServer;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  db = await createTestDatabase('client_errors');
  await seedProducts(db.url, [{ sku: 'SDK-ERR', priceCents: 250, stock: 100 }]);
  // Two new orders per customer a minute; no possible-duplicate holds for the repeated cart.
  server = await startTestServer(db.url, 'client-errors', {
    ORDER_RATE_LIMIT: '2/60',
    SEMANTIC_DUPLICATE_POLICY: 'OFF',
  });
});

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await server?.stop();
  await db?.drop();
});

const cart = { currency: 'EUR', items: [{ sku: 'SDK-ERR', quantity: 1 }] };

function clientOf(url: string, options: Partial<OrderGateClientOptions> = {}): OrderGateClient {
  return new OrderGateClient({
    url,
    authToken: 'not-a-token',
    customerId: 'erin',
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
}

async function proxied(): Promise<FlakyProxy> {
  const proxy = await startFlakyProxy(server.url, []);
  closers.push(() => proxy.close());
  return proxy;
}

/** What `call` threw (the test fails if it did not throw). */
async function thrownBy(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** The fields of an OrderGateError a caller decides on, and proof it is one. */
function fieldsOf(error: unknown): Record<string, unknown> {
  if (!(error instanceof OrderGateError)) throw new Error(`not an OrderGateError: ${String(error)}`);
  const { name, kind, code, attempts, retryAfterMs, requestId, message } = error;
  return { isError: error instanceof Error, name, kind, code, attempts, retryAfterMs, requestId, message };
}

describe('not signed in', () => {
  it('issueOrderToken throws an OrderGateError UNAUTHENTICATED after one try; createOrder fails with the same code', async () => {
    const proxy = await proxied();
    const client = clientOf(`${proxy.url}/graphql`);

    expect(fieldsOf(await thrownBy(() => client.issueOrderToken()))).toEqual({
      isError: true,
      name: 'OrderGateError',
      kind: 'Rejected',
      code: 'UNAUTHENTICATED',
      attempts: 1,
      retryAfterMs: undefined,
      requestId: undefined,
      message: expect.stringMatching(/^issueOrderToken failed: \S/),
    });
    const outcome = await client.createOrder(cart);
    expect(outcome).toMatchObject({ ok: false, attempts: 1, failure: { kind: 'Rejected', code: 'UNAUTHENTICATED' } });
    expect(proxy.taken).toEqual(['pass', 'pass']);
    expect(await ordersWithKey(db, outcome.idempotencyKey)).toHaveLength(0);
  });

  it('an authToken function that throws: OrderGateError AUTH_TOKEN_FAILED once the tries run out, nothing sent', async () => {
    const proxy = await proxied();
    const client = clientOf(`${proxy.url}/graphql`, {
      authToken: () => Promise.reject(new Error('refresh token expired')),
    });
    expect(fieldsOf(await thrownBy(() => client.issueOrderToken()))).toMatchObject({
      kind: 'Unavailable',
      code: 'AUTH_TOKEN_FAILED',
      attempts: 3,
      message: 'issueOrderToken failed: authToken failed: refresh token expired',
    });
    expect(proxy.taken).toEqual([]);
  });

  it('an authToken function that never settles (a refresh that hangs): AUTH_TOKEN_FAILED after attemptTimeoutMs, each try', async () => {
    const proxy = await proxied();
    const client = clientOf(`${proxy.url}/graphql`, {
      authToken: () => new Promise<string>(() => undefined),
      attemptTimeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 5 },
    });
    const started = Date.now();
    expect(fieldsOf(await thrownBy(() => client.issueOrderToken()))).toMatchObject({
      kind: 'Unavailable',
      code: 'AUTH_TOKEN_FAILED',
      attempts: 2,
      message: 'issueOrderToken failed: authToken failed: no token within 100 ms',
    });
    expect(await client.createOrder(cart)).toMatchObject({
      ok: false,
      attempts: 2,
      failure: { kind: 'Unavailable', code: 'AUTH_TOKEN_FAILED' },
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(proxy.taken).toEqual([]);
  });
});

describe('rate limited', () => {
  it("createOrder past ORDER_RATE_LIMIT fails with RATE_LIMITED and the server's retryAfterMs, not retried; issueOrderToken still works", async () => {
    const proxy = await proxied();
    const client = clientOf(`${proxy.url}/graphql`, { authToken: await server.tokenFor('rita'), customerId: 'rita' });
    expect(await client.createOrder(cart)).toMatchObject({ ok: true });
    expect(await client.createOrder(cart)).toMatchObject({ ok: true });

    const refused = await client.createOrder(cart);
    expect(refused).toMatchObject({ ok: false, attempts: 1, failure: { kind: 'Rejected', code: 'RATE_LIMITED' } });
    if (refused.ok || refused.failure.kind !== 'Rejected') throw new Error('not Rejected');
    expect(refused.failure.retryAfterMs).toBeGreaterThan(0);
    expect(refused.failure.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(await ordersWithKey(db, refused.idempotencyKey)).toHaveLength(0);
    // The limit is on new orders only: a token is still issued.
    expect(await client.issueOrderToken()).toEqual({
      token: expect.stringMatching(/^ot1\./),
      expiresAt: expect.any(String),
    });
    expect(proxy.taken).toHaveLength(4);
  });
});

describe('the server cannot be reached', () => {
  it('nothing listens on the port: issueOrderToken throws NETWORK_ERROR after every try, createOrder fails with it', async () => {
    const port = await closedPort();
    const client = clientOf(`http://127.0.0.1:${port}/graphql`, { authToken: await server.tokenFor('nora') });

    expect(fieldsOf(await thrownBy(() => client.issueOrderToken()))).toMatchObject({
      kind: 'Unavailable',
      code: 'NETWORK_ERROR',
      attempts: 3,
      retryAfterMs: undefined,
    });
    expect(await client.createOrder(cart)).toMatchObject({
      ok: false,
      attempts: 3,
      failure: { kind: 'Unavailable', code: 'NETWORK_ERROR' },
    });
  });

  it('a server that accepts but never answers: TIMEOUT after attemptTimeoutMs, each try', async () => {
    // Holds each connection open, unanswered, until the test closes them.
    const held = new Set<net.Socket>();
    const silent = net.createServer((socket) => void held.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });
    const client = clientOf(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`, {
      attemptTimeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 5 },
    });

    expect(fieldsOf(await thrownBy(() => client.issueOrderToken()))).toMatchObject({
      kind: 'Unavailable',
      code: 'TIMEOUT',
      attempts: 2,
      message: 'issueOrderToken failed: No answer within 100 ms.',
    });
    expect(await client.cancelOrder('o-1', 'changed my mind')).toMatchObject({
      ok: false,
      attempts: 2,
      failure: { kind: 'Unavailable', code: 'TIMEOUT' },
    });
  });
});

/** A loopback port nobody listens on (one the system just handed out and got back). */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('attemptTimeoutMs', () => {
  it('also ends a try whose fetch ignores the abort signal (a polyfill without it): TIMEOUT, the call returns', async () => {
    const never = new Promise<Response>(() => undefined);
    const client = clientOf(`${server.url}/graphql`, {
      fetch: () => never,
      attemptTimeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 5 },
    });
    const outcome = await Promise.race([
      client.createOrder(cart),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 3 s'), 3_000).unref()),
    ]);
    expect(outcome).toMatchObject({ ok: false, attempts: 2, failure: { kind: 'Unavailable', code: 'TIMEOUT' } });
  });

  it('above what a timer holds (2^31 ms, Infinity: no limit) still waits for the answer: the order is placed', async () => {
    await seedProducts(db.url, [{ sku: 'SDK-LONG', priceCents: 100, stock: 10 }]);
    for (const attemptTimeoutMs of [2 ** 31, Infinity]) {
      const client = clientOf(`${server.url}/graphql`, {
        authToken: await server.tokenFor('lena'),
        customerId: 'lena',
        attemptTimeoutMs,
      });
      const outcome = await client.createOrder({ currency: 'EUR', items: [{ sku: 'SDK-LONG', quantity: 1 }] });
      expect(outcome).toMatchObject({ ok: true, attempts: 1 });
    }
  });

  it('zero, negative or not a number: InvalidArgumentError from the constructor, not a TIMEOUT on every try', () => {
    for (const attemptTimeoutMs of [0, -1, Number.NaN]) {
      let thrown: unknown;
      try {
        clientOf(`${server.url}/graphql`, { attemptTimeoutMs });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RangeError);
      expect(thrown).toMatchObject({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT' });
    }
  });
});
