import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { RedisClaimStore } from 'graphql-idempotency';
import type { PendingClaim } from 'graphql-idempotency';
import { InvalidArgumentError, OrderGateClient, OrderGateError } from '../../src/client';
import { sleepMs } from '../../src/client/timer';
import { claimKeyPrefix } from '../../src/stores/store-keys';
import { ordersWithKey, seedProducts } from '../support/catalog';
import { TEST_REDIS_URL } from '../support/redis';
import { withTestServer } from '../support/test-server-fixture';

// A call's overall deadline (`deadlineMs`) and the caller's AbortSignal: against the real server
// holding the key in progress (RequestInProgress on every try), and a server that never answers.

const fixture = withTestServer('client-deadline');

async function clientOf(customerId: string, options: { deadlineMs?: number } = {}): Promise<OrderGateClient> {
  return new OrderGateClient({
    url: `${fixture.server.url}/graphql`,
    authToken: await fixture.server.tokenFor(customerId),
    customerId,
    // Tries without end: only the deadline or the signal can end a call on a busy key.
    retry: { maxAttempts: Infinity, baseDelayMs: 20, maxDelayMs: 200 },
    ...options,
  });
}

/** Holds `key` of createOrder in progress, as another tab's request does, until `release` is called. */
async function holdKey(customerId: string, key: string): Promise<{ release: () => Promise<void> }> {
  const redis = new Redis(TEST_REDIS_URL);
  await redis.ping();
  const store = new RedisClaimStore(redis, claimKeyPrefix(fixture.server.config.redisKeyPrefix));
  const scope = { operation: 'createOrder', scope: customerId, key };
  const claim: PendingClaim = {
    state: 'pending',
    fingerprint: 'x'.repeat(64),
    owner: randomUUID(),
    claimedAt: Date.now(),
  };
  expect(await store.claim(scope, claim, 60_000)).toBeNull();
  return {
    release: async () => {
      expect(await store.release(scope, claim)).toBe(true);
      redis.disconnect();
    },
  };
}

/** A server that takes each request and never answers; it notes each key and each request the client closed. */
async function silentServer(): Promise<{
  url: string;
  keys: string[];
  closed: () => number;
  stop: () => Promise<void>;
}> {
  const keys: string[] = [];
  let closed = 0;
  const server = http.createServer((request) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () =>
      keys.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { key: string } }).variables.key),
    );
    request.socket.on('close', () => closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    keys,
    closed: () => closed,
    stop: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const input = (sku: string): { currency: string; items: { sku: string; quantity: number }[] } => ({
  currency: 'EUR',
  items: [{ sku, quantity: 1 }],
});

describe('a call’s overall deadline', () => {
  it('ends a call on a key held in progress with Interrupted DEADLINE_EXCEEDED and the key; the key then places the order once', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'SDK-DEADLINE', priceCents: 250, stock: 10 }]);
    const client = await clientOf('dora');
    const key = await client.newIdempotencyKey();
    const held = await holdKey('dora', key);

    const started = performance.now();
    const outcome = await client.createOrder(input('SDK-DEADLINE'), { idempotencyKey: key, deadlineMs: 1_000 });
    const tookMs = performance.now() - started;

    expect(outcome).toMatchObject({
      ok: false,
      idempotencyKey: key,
      failure: {
        kind: 'Interrupted',
        code: 'DEADLINE_EXCEEDED',
        message: 'No outcome within the deadline of 1000 ms.',
      },
    });
    // The server answered RequestInProgress at least once before the deadline, and nothing was placed.
    expect(outcome.attempts).toBeGreaterThanOrEqual(1);
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(0);
    // Not ended by the claim going away (it is held for 60 s), nor before the deadline; the upper
    // bound only tells "ended by the deadline" from "ran until the claim's lease" on a busy machine.
    expect(tookMs).toBeGreaterThanOrEqual(990);
    expect(tookMs).toBeLessThan(20_000);

    await held.release();
    const resumed = await client.createOrder(input('SDK-DEADLINE'), { idempotencyKey: key });
    expect(resumed).toMatchObject({ ok: true, replayed: false, idempotencyKey: key });
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(1);
  });

  it('the client’s deadlineMs bounds every call, a lifecycle call’s too', async () => {
    const client = await clientOf('dino', { deadlineMs: 600 });
    const silent = await silentServer();
    try {
      const slow = new OrderGateClient({
        url: silent.url,
        authToken: 'token',
        customerId: 'dino',
        deadlineMs: 600,
      });
      const cancelled = await slow.cancelOrder(randomUUID(), 'changed my mind', { idempotencyKey: 'kept-key-1' });
      expect(cancelled).toEqual({
        ok: false,
        failure: {
          kind: 'Interrupted',
          code: 'DEADLINE_EXCEEDED',
          message: 'No outcome within the deadline of 600 ms.',
        },
        idempotencyKey: 'kept-key-1',
        attempts: 1,
      });
      // The try in flight was aborted (its connection closed), not left running past the call.
      expect(silent.keys).toEqual(['kept-key-1']);
      await waitFor(() => silent.closed() === 1);
      const thrown = await client.issueOrderToken().then(
        () => undefined,
        (error: unknown) => error,
      );
      // The real server answers issueOrderToken at once: the deadline does not cut a call that settles.
      expect(thrown).toBeUndefined();
      const error = await slow.issueOrderToken().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(OrderGateError);
      expect(error).toMatchObject({ kind: 'Interrupted', code: 'DEADLINE_EXCEEDED', attempts: 1 });
    } finally {
      await silent.stop();
    }
  });

  it('a deadline that is not above 0 is the caller’s bug: InvalidArgumentError, nothing sent', async () => {
    for (const deadlineMs of [0, -1, Number.NaN]) {
      expect(
        () => new OrderGateClient({ url: 'http://127.0.0.1:9/graphql', authToken: 't', customerId: 'c', deadlineMs }),
      ).toThrow(InvalidArgumentError);
      const client = await clientOf('dana');
      await expect(client.createOrder(input('X'), { deadlineMs })).rejects.toThrow(
        `deadlineMs must be above 0 (Infinity for no limit), not ${deadlineMs}.`,
      );
    }
  });
});

describe('the wait between tries', () => {
  afterEach(() => jest.useRealTimers());

  it('ends with the call, its timer cleared: a 20 s wait would keep a script’s process alive after its outcome', async () => {
    jest.useFakeTimers();
    const callEnded = new AbortController();
    const slept = sleepMs(20_000, callEnded.signal);
    expect(jest.getTimerCount()).toBe(1);
    callEnded.abort();
    await slept;
    expect(jest.getTimerCount()).toBe(0);
    // Without a signal, or before it aborts, it waits the time out as before.
    const waited = sleepMs(5_000);
    jest.advanceTimersByTime(5_000);
    await waited;
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('the caller’s AbortSignal', () => {
  it('ends a call on a key held in progress with Interrupted ABORTED and the key', async () => {
    await seedProducts(fixture.db.url, [{ sku: 'SDK-ABORT', priceCents: 250, stock: 10 }]);
    const client = await clientOf('abe');
    const key = await client.newIdempotencyKey();
    const held = await holdKey('abe', key);
    try {
      const controller = new AbortController();
      let tries = 0;
      const counting = new OrderGateClient({
        url: `${fixture.server.url}/graphql`,
        authToken: await fixture.server.tokenFor('abe'),
        customerId: 'abe',
        retry: { maxAttempts: Infinity, baseDelayMs: 20, maxDelayMs: 200 },
        fetch: async (url, init) => {
          // The shopper leaves the page after the server said "in progress" three times.
          if (++tries === 4) controller.abort();
          return fetch(url, init);
        },
      });
      const outcome = await counting.createOrder(input('SDK-ABORT'), {
        idempotencyKey: key,
        signal: controller.signal,
      });
      expect(outcome).toEqual({
        ok: false,
        failure: { kind: 'Interrupted', code: 'ABORTED', message: 'The call was aborted by its signal.' },
        idempotencyKey: key,
        attempts: 4,
      });
      expect(await ordersWithKey(fixture.db, key)).toHaveLength(0);
    } finally {
      await held.release();
    }
  });

  it('a signal aborted before the call: Interrupted ABORTED, attempts 0, nothing sent', async () => {
    const silent = await silentServer();
    try {
      const client = new OrderGateClient({ url: silent.url, authToken: 'token', customerId: 'ann' });
      const outcome = await client.createOrder(input('X'), {
        idempotencyKey: 'kept-key-2',
        signal: AbortSignal.abort(),
      });
      expect(outcome).toEqual({
        ok: false,
        failure: { kind: 'Interrupted', code: 'ABORTED', message: 'The call was aborted by its signal.' },
        idempotencyKey: 'kept-key-2',
        attempts: 0,
      });
      expect(silent.keys).toEqual([]);
    } finally {
      await silent.stop();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('the condition did not hold within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
