import { OrderGateClient, OrderGateError, retryDelayMs } from '../../src/client';
import type { RetryPolicy } from '../../src/client';

// Pure retry logic with a scripted fetch (the real server is in order-gate-client.test.ts).

type Reply =
  | 'network'
  | 503
  | { inProgress: number }
  | { unavailableFor: number }
  | { proxyRetryAfterSeconds: number }
  | { rateLimitedFor: number }
  | 'internal'
  | 'created'
  | 'unauthenticated';

function scriptedFetch(replies: Reply[]) {
  const keys: string[] = [];
  const fetchImpl = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    keys.push(
      (JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { variables: { key: string } }).variables.key,
    );
    const reply = replies.shift() ?? 'network';
    if (reply === 'network') throw new TypeError('fetch failed');
    if (reply === 503) return new Response('busy', { status: 503 });
    if (reply === 'unauthenticated')
      return Response.json({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] });
    if (reply === 'internal') {
      return Response.json({
        data: null,
        errors: [
          { message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' } },
        ],
      });
    }
    if (typeof reply === 'object' && 'proxyRetryAfterSeconds' in reply) {
      // A proxy's 503 page: no GraphQL body, only the header.
      return new Response('busy', { status: 503, headers: { 'retry-after': String(reply.proxyRetryAfterSeconds) } });
    }
    if (typeof reply === 'object' && 'rateLimitedFor' in reply) {
      // As the server answers RATE_LIMITED: 429, Retry-After in whole seconds, the exact hint in the body.
      const error = {
        message: 'Too many new orders: retry later with the same idempotency key.',
        extensions: { code: 'RATE_LIMITED', retryAfterMs: reply.rateLimitedFor },
      };
      return Response.json(
        { data: null, errors: [error] },
        { status: 429, headers: { 'retry-after': String(Math.ceil(reply.rateLimitedFor / 1000)) } },
      );
    }
    if (typeof reply === 'object' && 'unavailableFor' in reply) {
      // As the server answers a database outage: 503, Retry-After in whole seconds, the exact hint in the body.
      const error = {
        message: 'The database is unavailable.',
        extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterMs: reply.unavailableFor },
      };
      return Response.json(
        { data: null, errors: [error] },
        { status: 503, headers: { 'retry-after': String(Math.ceil(reply.unavailableFor / 1000)) } },
      );
    }
    if (reply === 'created') {
      const order = {
        id: 'o-1',
        status: 'CONFIRMED',
        channel: 'WEB',
        currency: 'EUR',
        totalCents: 1,
        idempotencyKey: keys[0],
        createdAt: '2026-01-01T00:00:00Z',
        items: [],
      };
      return Response.json({ data: { createOrder: { __typename: 'OrderCreated', order } } });
    }
    return Response.json({
      data: { createOrder: { __typename: 'RequestInProgress', retryAfterMs: reply.inProgress } },
    });
  };
  return { fetchImpl: fetchImpl, keys };
}

function clientWith(replies: Reply[], retry: Partial<RetryPolicy> = {}) {
  const { fetchImpl, keys } = scriptedFetch(replies);
  const waits: number[] = [];
  const client = new OrderGateClient({
    url: 'http://order-gate.invalid/graphql',
    authToken: 'token',
    customerId: 'alice',
    fetch: fetchImpl,
    retry: { random: () => 0.5, sleep: async (ms) => void waits.push(ms), ...retry },
  });
  return { client, keys, waits };
}

const input = { currency: 'EUR', items: [{ sku: 'A', quantity: 1 }] };

describe('OrderGateClient retries', () => {
  it('retries network failures and 5xx with the same key, then returns the order', async () => {
    const { client, keys } = clientWith(['network', 503, 'created']);
    const outcome = await client.createOrder(input);
    expect(outcome).toMatchObject({ ok: true, replayed: false, attempts: 3, order: { id: 'o-1' } });
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBe(outcome.idempotencyKey);
  });

  it('gives up after maxAttempts tries with an Unavailable failure that carries the key', async () => {
    const { client, keys } = clientWith([], { maxAttempts: 4 });
    const outcome = await client.createOrder(input, { idempotencyKey: 'persisted-key-1' });
    expect(outcome).toEqual({
      ok: false,
      failure: { kind: 'Unavailable', code: 'NETWORK_ERROR', message: 'fetch failed' },
      idempotencyKey: 'persisted-key-1',
      attempts: 4,
    });
    expect(keys).toEqual(Array(4).fill('persisted-key-1'));
  });

  it("waits at least the server's retryAfterMs on RequestInProgress", async () => {
    const { client, waits } = clientWith([{ inProgress: 900 }, 'created']);
    expect((await client.createOrder(input)).ok).toBe(true);
    expect(waits).toEqual([900]);
  });

  it('ends with StillInProgress, code REQUEST_IN_PROGRESS and the hint, when the key stays in progress', async () => {
    const { client, waits } = clientWith([{ inProgress: 60_000 }, 'created']);
    expect(await client.createOrder(input, { idempotencyKey: 'persisted-key-2' })).toEqual({
      ok: false,
      failure: { kind: 'StillInProgress', code: 'REQUEST_IN_PROGRESS', retryAfterMs: 60_000 },
      idempotencyKey: 'persisted-key-2',
      attempts: 1,
    });
    expect(waits).toEqual([]);
  });

  it('retries SERVICE_UNAVAILABLE with the same key after its retry hint, and says Unavailable with the hint when the tries run out', async () => {
    const { client, keys, waits } = clientWith([{ unavailableFor: 1_000 }, { unavailableFor: 1_500 }, 'created']);
    expect(await client.createOrder(input)).toMatchObject({ ok: true, attempts: 3 });
    expect(waits).toEqual([1_000, 1_500]);
    expect(new Set(keys).size).toBe(1);
    const outOfTries = clientWith([{ unavailableFor: 2_000 }, { unavailableFor: 2_000 }], { maxAttempts: 2 });
    expect(await outOfTries.client.createOrder(input, { idempotencyKey: 'persisted-key-2' })).toEqual({
      ok: false,
      failure: {
        kind: 'Unavailable',
        code: 'SERVICE_UNAVAILABLE',
        message: 'The database is unavailable.',
        retryAfterMs: 2_000,
      },
      idempotencyKey: 'persisted-key-2',
      attempts: 2,
    });
  });

  it('does not retry INTERNAL_SERVER_ERROR (a defect): ServerError with the request id to quote', async () => {
    const { client, keys } = clientWith(['internal', 'created']);
    expect(await client.createOrder(input)).toMatchObject({
      ok: false,
      attempts: 1,
      failure: {
        kind: 'ServerError',
        code: 'INTERNAL_SERVER_ERROR',
        message: 'Internal server error.',
        requestId: 'req-42',
      },
    });
    expect(keys).toHaveLength(1);
  });

  it('does not retry a refusal such as UNAUTHENTICATED', async () => {
    const { client, keys } = clientWith(['unauthenticated', 'created']);
    expect(await client.createOrder(input)).toMatchObject({
      ok: false,
      failure: { kind: 'Rejected', code: 'UNAUTHENTICATED' },
      attempts: 1,
    });
    expect(keys).toHaveLength(1);
  });

  it('does not wait out a retry hint above maxRetryAfterMs: the call ends with Unavailable and the hint', async () => {
    const proxy = clientWith([{ proxyRetryAfterSeconds: 86_400 }, 'created']);
    expect(await proxy.client.createOrder(input, { idempotencyKey: 'persisted-key-3' })).toEqual({
      ok: false,
      failure: { kind: 'Unavailable', code: 'HTTP_503', message: 'HTTP 503', retryAfterMs: 86_400_000 },
      idempotencyKey: 'persisted-key-3',
      attempts: 1,
    });
    expect(proxy.waits).toEqual([]);
    const server = clientWith([{ unavailableFor: 30_001 }, 'created']);
    expect(await server.client.createOrder(input)).toMatchObject({
      ok: false,
      failure: { kind: 'Unavailable', code: 'SERVICE_UNAVAILABLE', retryAfterMs: 30_001 },
      attempts: 1,
    });
    expect(server.waits).toEqual([]);
  });

  it('waits out a hint up to maxRetryAfterMs (default 30 s, configurable)', async () => {
    const atDefault = clientWith([{ unavailableFor: 30_000 }, 'created']);
    expect(await atDefault.client.createOrder(input)).toMatchObject({ ok: true, attempts: 2 });
    expect(atDefault.waits).toEqual([30_000]);
    const lowered = clientWith([{ unavailableFor: 2_000 }, 'created'], { maxRetryAfterMs: 1_000 });
    expect(await lowered.client.createOrder(input)).toMatchObject({ ok: false, attempts: 1 });
    expect(lowered.waits).toEqual([]);
  });

  it("does not retry RATE_LIMITED, and keeps the server's retryAfterMs on the Rejected failure", async () => {
    const { client, keys } = clientWith([{ rateLimitedFor: 12_345 }, 'created']);
    expect(await client.createOrder(input)).toMatchObject({
      ok: false,
      attempts: 1,
      failure: { kind: 'Rejected', code: 'RATE_LIMITED', retryAfterMs: 12_345 },
    });
    expect(keys).toHaveLength(1);
  });

  it('issueOrderToken: a retried outage, then INTERNAL_SERVER_ERROR thrown as an OrderGateError with the request id, the message it always had', async () => {
    const { client, keys } = clientWith([{ unavailableFor: 500 }, 'internal', 'created']);
    const thrown = await client.issueOrderToken().catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OrderGateError);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({
      message: 'issueOrderToken failed: Internal server error. (request req-42)',
      kind: 'ServerError',
      code: 'INTERNAL_SERVER_ERROR',
      requestId: 'req-42',
      attempts: 2,
    });
    expect(keys).toHaveLength(2);
  });

  it('issueOrderToken: SERVICE_UNAVAILABLE on every try throws that code with the last hint', async () => {
    const { client } = clientWith([{ unavailableFor: 700 }, { unavailableFor: 900 }], { maxAttempts: 2 });
    await expect(client.issueOrderToken()).rejects.toMatchObject({
      name: 'OrderGateError',
      kind: 'Unavailable',
      code: 'SERVICE_UNAVAILABLE',
      retryAfterMs: 900,
      attempts: 2,
    });
  });

  it('backs off exponentially with full jitter, capped by maxDelayMs', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async () => undefined };
    const halfway = { ...policy, random: () => 0.5 };
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, undefined, halfway))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect(retryDelayMs(3, undefined, { ...policy, random: () => 0 })).toBe(0);
    expect(retryDelayMs(1, 700, { ...policy, random: () => 0.5 })).toBe(700);
  });
});

describe('a retry policy no call can follow (e.g. a number read from an unset environment variable: NaN)', () => {
  // maxAttempts NaN retried a failing call forever; maxRetryAfterMs NaN slept through any hint
  // (Retry-After: 86400, a day); 0 tries or a negative delay were taken silently.
  const refused: Partial<RetryPolicy>[] = [
    { maxAttempts: Number.NaN },
    { maxAttempts: 0 },
    { maxAttempts: 2.5 },
    { maxRetryAfterMs: Number.NaN },
    { maxRetryAfterMs: -1 },
    { baseDelayMs: Number.NaN },
    { maxDelayMs: -5 },
  ];

  it.each(refused)('%p: InvalidArgumentError from the constructor', (retry) => {
    let thrown: unknown;
    try {
      clientWith([], retry);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RangeError);
    expect(thrown).toMatchObject({ name: 'InvalidArgumentError', code: 'INVALID_ARGUMENT' });
  });

  it('Infinity is taken where it means "no limit": maxAttempts, maxDelayMs, maxRetryAfterMs', async () => {
    const { client, waits } = clientWith([{ unavailableFor: 86_400_000 }, 'created'], {
      maxAttempts: Infinity,
      maxDelayMs: Infinity,
      maxRetryAfterMs: Infinity,
    });
    expect(await client.createOrder(input)).toMatchObject({ ok: true, attempts: 2 });
    expect(waits).toEqual([86_400_000]);
  });
});
