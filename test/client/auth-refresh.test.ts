import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrderGateClient, OrderGateError } from '../../src/client';
import type { AuthTokenRequest } from '../../src/client';
import { signViewerToken } from '../../src/auth/jwt';
import { ordersWithKey, seedProducts } from '../support/catalog';
import { withTestServer } from '../support/test-server-fixture';

// A bearer token that expires while the app is open: the real server answers UNAUTHENTICATED, and
// an `authToken` function is asked once for a fresh token, the same key sent again.

const fixture = withTestServer('client-auth-refresh');

/** A token for `customerId` that expired a minute ago (signed with the server's secret). */
function expiredToken(customerId: string): Promise<string> {
  return signViewerToken({ customerId, role: 'customer' }, fixture.server.config.jwtSecret, {
    expiresIn: Math.floor(Date.now() / 1000) - 60,
  });
}

/** An `authToken` function that gives `tokens` in turn (the last one again when they run out), noting each request. */
function provider(tokens: (() => Promise<string>)[]): {
  authToken: (request: AuthTokenRequest) => Promise<string>;
  requests: AuthTokenRequest[];
} {
  const requests: AuthTokenRequest[] = [];
  return {
    requests,
    authToken: (request) => {
      requests.push(request);
      const next = tokens[Math.min(requests.length, tokens.length) - 1];
      if (!next) throw new Error('no token');
      return next();
    },
  };
}

const input = { currency: 'EUR', items: [{ sku: 'SDK-AUTH', quantity: 1 }] };

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'SDK-AUTH', priceCents: 250, stock: 100 }]);
});

function clientOf(
  authToken: string | ((request: AuthTokenRequest) => Promise<string>),
  customerId = 'erin',
): OrderGateClient {
  return new OrderGateClient({
    url: `${fixture.server.url}/graphql`,
    authToken,
    customerId,
    // One try in all: the refresh's try is not a retry of a transient failure, so it is not counted against it.
    retry: { maxAttempts: 1 },
  });
}

describe('an expired bearer token', () => {
  it('from a function: asked once more (refresh: true), the same key sent again, one order', async () => {
    const tokens = provider([() => expiredToken('erin'), () => fixture.server.tokenFor('erin')]);
    const client = clientOf(tokens.authToken);
    const key = await client.newIdempotencyKey();
    const outcome = await client.createOrder(input, { idempotencyKey: key });
    expect(outcome).toMatchObject({ ok: true, replayed: false, idempotencyKey: key, attempts: 2 });
    expect(tokens.requests).toEqual([{ refresh: false }, { refresh: true }]);
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(1);
  });

  it('refused by a gateway in front of the server (a bare 401): refreshed the same way, one order', async () => {
    // A gateway that checks the bearer token itself and answers 401 with a page of its own.
    const gateway = createServer((request, response) => {
      if (request.headers.authorization === 'Bearer gateway-expired') {
        response.writeHead(401, { 'content-type': 'text/html' }).end('<h1>401 Unauthorized</h1>');
        return;
      }
      const upstream = httpRequest(`${fixture.server.url}${request.url}`, {
        method: request.method,
        headers: request.headers,
      });
      upstream.on('response', (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = gateway.address() as AddressInfo;
      const tokens = provider([async () => 'gateway-expired', () => fixture.server.tokenFor('gwen')]);
      const client = new OrderGateClient({
        url: `http://127.0.0.1:${port}/graphql`,
        authToken: tokens.authToken,
        customerId: 'gwen',
        retry: { maxAttempts: 1 },
      });
      const key = await client.newIdempotencyKey();
      const outcome = await client.createOrder(input, { idempotencyKey: key });
      expect(outcome).toMatchObject({ ok: true, idempotencyKey: key, attempts: 2 });
      expect(tokens.requests).toEqual([{ refresh: false }, { refresh: true }]);
      expect(await ordersWithKey(fixture.db, key)).toHaveLength(1);
    } finally {
      gateway.closeAllConnections();
      await new Promise((resolve) => gateway.close(resolve));
    }
  });

  it('from a function whose refresh fails once (AUTH_TOKEN_FAILED): the next try asks for the refresh again', async () => {
    let refreshes = 0;
    const tokens = provider([
      () => expiredToken('gail'),
      async () => {
        if (++refreshes === 1) throw new Error('the sign-in server is unreachable');
        return fixture.server.tokenFor('gail');
      },
    ]);
    const client = new OrderGateClient({
      url: `${fixture.server.url}/graphql`,
      authToken: tokens.authToken,
      // Another customer: erin's order of the same cart moments ago would make this one a PossibleDuplicate.
      customerId: 'gail',
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const key = await client.newIdempotencyKey();
    const outcome = await client.createOrder(input, { idempotencyKey: key });
    expect(outcome).toMatchObject({ ok: true, idempotencyKey: key, attempts: 3 });
    expect(tokens.requests).toEqual([{ refresh: false }, { refresh: true }, { refresh: true }]);
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(1);
  });

  it('from a function that keeps giving an expired one: Rejected UNAUTHENTICATED after one refresh, not a loop', async () => {
    const tokens = provider([() => expiredToken('erin')]);
    const client = new OrderGateClient({
      url: `${fixture.server.url}/graphql`,
      authToken: tokens.authToken,
      customerId: 'erin',
      retry: { maxAttempts: Infinity, baseDelayMs: 1 },
    });
    const key = await client.newIdempotencyKey();
    const outcome = await client.createOrder(input, { idempotencyKey: key });
    expect(outcome).toMatchObject({
      ok: false,
      idempotencyKey: key,
      attempts: 2,
      failure: {
        kind: 'Rejected',
        code: 'UNAUTHENTICATED',
        message: 'The bearer token has expired: a valid one is required.',
      },
    });
    expect(tokens.requests).toEqual([{ refresh: false }, { refresh: true }]);
    expect(await ordersWithKey(fixture.db, key)).toHaveLength(0);
  });

  it('as a string: Rejected UNAUTHENTICATED at once, with the key to resume with', async () => {
    const client = clientOf(await expiredToken('erin'));
    const outcome = await client.createOrder(input, { idempotencyKey: 'ck-static-expired' });
    expect(outcome).toEqual({
      ok: false,
      failure: {
        kind: 'Rejected',
        code: 'UNAUTHENTICATED',
        message: 'The bearer token has expired: a valid one is required.',
      },
      idempotencyKey: 'ck-static-expired',
      attempts: 1,
    });
  });

  it('lifecycle calls and issueOrderToken refresh the same way', async () => {
    // Another customer: erin's orders of the same cart moments ago would make this one a PossibleDuplicate.
    const placing = provider([() => fixture.server.tokenFor('fred')]);
    const placed = await clientOf(placing.authToken, 'fred').createOrder(input);
    if (!placed.ok) throw new Error(`no order: ${JSON.stringify(placed.failure)}`);

    const cancelling = provider([() => expiredToken('fred'), () => fixture.server.tokenFor('fred')]);
    const cancelled = await clientOf(cancelling.authToken, 'fred').cancelOrder(placed.order.id, 'changed my mind');
    expect(cancelled).toMatchObject({ ok: true, attempts: 2, answer: { __typename: 'OrderCancelled' } });
    expect(cancelling.requests).toEqual([{ refresh: false }, { refresh: true }]);

    const issuing = provider([() => expiredToken('erin'), () => fixture.server.tokenFor('erin')]);
    await expect(clientOf(issuing.authToken).issueOrderToken()).resolves.toMatchObject({ token: expect.any(String) });
    expect(issuing.requests).toEqual([{ refresh: false }, { refresh: true }]);

    const refused = provider([() => expiredToken('erin')]);
    const error = await clientOf(refused.authToken)
      .issueOrderToken()
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(OrderGateError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', attempts: 2 });
  });
});
