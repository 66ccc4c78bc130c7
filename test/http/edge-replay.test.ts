import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer } from '@apollo/server';
import { print } from 'graphql';
import { signViewerToken } from '../../src/auth/jwt';
import { CreateOrderDocument, UpsertProductDocument } from '../operations/generated';
import { cancelOrder } from '../orders/lifecycle/lifecycle-client';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postOperation, postRaw } from '../support/graphql-client';
import type { PostOptions } from '../support/graphql-client';
import { newKey } from '../support/order-client';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';

// A repeat sent again as it was is answered with the bytes Apollo answered it with the time before,
// before Apollo runs (src/http/edge-replay.ts), once the response replay has confirmed and recorded
// the repeat. Apollo's executeHTTPGraphQLRequest is watched to tell which requests reached it.

let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase('edge_replay');
  server = await startTestServer(db.url, 'edge-replay', {
    SEMANTIC_DUPLICATE_POLICY: 'OFF',
    CATALOG_CACHE_TTL_MS: '60000',
  });
  await seedProducts(db.url, [{ sku: 'ER-A', priceCents: 300, stock: 1_000 }]);
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const QUERY = print(CreateOrderDocument);
const bodyOf = (key: string) =>
  JSON.stringify({
    query: QUERY,
    variables: { key, input: { currency: 'EUR', items: [{ sku: 'ER-A', quantity: 1 }] } },
  });

/** The parts of an answer read here (each test reads the one its answer has: data or errors). */
interface Answer {
  data: {
    createOrder: {
      __typename: string;
      originalOrder: { id: string; status: string; items: { product: { priceCents: number } }[] };
    };
  };
  errors: { extensions: { code: string } }[];
}
const parsed = (text: string) => JSON.parse(text) as Answer;

function send(key: string, options: PostOptions) {
  return postRaw(server.url, bodyOf(key), options);
}

/** Creates an order for `key`, then repeats it twice: the second repeat is Apollo's stored response, kept at the edge. */
async function createAndRepeatTwice(key: string, options: PostOptions) {
  for (let sent = 0; sent < 3; sent += 1) expect((await send(key, options)).status).toBe(200);
}

async function auditOutcomes(customerId: string, key: string): Promise<string[]> {
  await server.app.services.auditLog.flush();
  const rows = await db.query<{ outcome: string }>(
    `SELECT "outcome" FROM "IdempotencyAuditEvent" WHERE "customerId" = $1 AND "idempotencyKey" = $2 ORDER BY "at", "id"`,
    [customerId, key],
  );
  return rows.map((row) => row.outcome);
}

/** Repeats counted in the server's metrics (order_gate_idempotency_decisions_total, decision="duplicate"). */
async function duplicatesCounted(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('order_gate_idempotency_decisions_total{decision="duplicate"'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** A token of its own for a caller: the same caller to the replay, another request to the edge. */
function anotherTokenOf(customerId: string): Promise<string> {
  return signViewerToken({ customerId, role: 'customer' }, server.config.jwtSecret, { expiresIn: '2h' });
}

const perRequest = new Set(['date', 'x-request-id']);
const lasting = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !perRequest.has(name)));

describe('a repeat sent once more', () => {
  it('is answered before Apollo, byte for byte and header for header as Apollo answers it, and still counted and audited', async () => {
    const key = newKey('edge');
    const options = { token: await server.tokenFor('edda') };
    expect((await send(key, options)).status).toBe(200);
    const apollo = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    const first = await send(key, options); // executed over the claim's replay
    await send(key, options); // Apollo's stored response, kept at the edge
    expect(apollo).toHaveBeenCalledTimes(2);
    const counted = await duplicatesCounted();
    const again = [await send(key, options), await send(key, options)];
    expect(apollo).toHaveBeenCalledTimes(2);
    // What Apollo answers the same repeat with now: the caller with another token of theirs.
    const viaApollo = await send(key, { token: await anotherTokenOf('edda') });
    expect(apollo).toHaveBeenCalledTimes(3);

    expect(parsed(first.text).data.createOrder.__typename).toBe('DuplicateDetected');
    expect(parsed(viaApollo.text)).toEqual(parsed(first.text));
    for (const repeat of again) {
      expect(repeat.status).toBe(viaApollo.status);
      expect(repeat.text).toBe(viaApollo.text);
      expect(lasting(repeat.headers)).toEqual(lasting(viaApollo.headers));
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(repeat.headers['x-request-id']).not.toBe(viaApollo.headers['x-request-id']);
    }
    expect(await duplicatesCounted()).toBe(counted + 3);
    expect(await auditOutcomes('edda', key)).toEqual(['created', ...Array(5).fill('duplicate')]);
  });

  it('goes to Apollo when what its answer depends on differs: the Accept header, the Idempotency-Key header, another token', async () => {
    const key = newKey('edge');
    const options = { token: await server.tokenFor('ferd') };
    await createAndRepeatTwice(key, options);
    const apollo = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    const kept = await send(key, options);
    expect(apollo).toHaveBeenCalledTimes(0);

    const typed = await send(key, { ...options, headers: { accept: 'application/graphql-response+json' } });
    expect(apollo).toHaveBeenCalledTimes(1);
    expect(typed.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
    expect(kept.headers['content-type']).toMatch(/^application\/json/);
    expect(parsed(typed.text)).toEqual(parsed(kept.text));

    const mismatch = await send(key, { ...options, headers: { 'idempotency-key': newKey('other') } });
    expect(apollo).toHaveBeenCalledTimes(2);
    expect(mismatch.status).toBe(422);
    expect(parsed(mismatch.text).errors[0].extensions.code).toBe('IDEMPOTENCY_KEY_MISMATCH');

    const sameCaller = await send(key, { token: await anotherTokenOf('ferd') });
    expect(apollo).toHaveBeenCalledTimes(3);
    expect(parsed(sameCaller.text)).toEqual(parsed(kept.text));
  });

  it('checks the token again: once it has expired, the request is refused as any other', async () => {
    const key = newKey('edge');
    const expiresAt = Math.floor(Date.now() / 1000) + 4;
    const token = await signViewerToken({ customerId: 'gus', role: 'customer' }, server.config.jwtSecret, {
      expiresIn: expiresAt,
    });
    await createAndRepeatTwice(key, { token });
    const apollo = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    // The fault's precondition: the edge answers this caller's repeat while the token is valid.
    const kept = await send(key, { token });
    expect(apollo).toHaveBeenCalledTimes(0);
    expect(parsed(kept.text).data.createOrder.__typename).toBe('DuplicateDetected');

    await sleep(Math.max(0, expiresAt * 1000 - Date.now()) + 50);
    const expired = await send(key, { token });
    expect(apollo).toHaveBeenCalledTimes(1);
    expect(parsed(expired.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('follows its claim: after the order is cancelled, the repeat shows it cancelled', async () => {
    const key = newKey('edge');
    const token = await server.tokenFor('hedy');
    await createAndRepeatTwice(key, { token });
    const kept = parsed((await send(key, { token })).text).data.createOrder;
    expect(kept.originalOrder.status).toBe('CONFIRMED');

    const cancelled = await cancelOrder(server.url, token, {
      orderId: kept.originalOrder.id,
      key: newKey('cancel'),
      reason: 'no',
    });
    expect(cancelled).toMatchObject({ __typename: 'OrderCancelled' });
    const apollo = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    const after = parsed((await send(key, { token })).text).data.createOrder;
    expect(apollo).toHaveBeenCalledTimes(1);
    expect(after).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { status: 'CANCELLED' } });
    expect(await auditOutcomes('hedy', key)).toEqual(['created', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
  });

  it('is not sent once Apollo stores another response for it (a product changed, the repeat sent with another token)', async () => {
    const key = newKey('edge');
    const token = await server.tokenFor('ines');
    await createAndRepeatTwice(key, { token });
    const priceOf = (text: string) => parsed(text).data.createOrder.originalOrder.items[0].product.priceCents;
    expect(priceOf((await send(key, { token })).text)).toBe(300);

    const changed = await postOperation(
      server.url,
      UpsertProductDocument,
      { input: { sku: 'ER-A', name: 'ER-A', priceCents: 350, currency: 'EUR', stock: 1_000 } },
      { token: await server.tokenFor('ops', 'admin') },
    );
    expect(changed.body.errors).toBeUndefined();
    // The same caller with another token: Apollo executes the repeat again and stores its new response.
    expect(priceOf((await send(key, { token: await anotherTokenOf('ines') })).text)).toBe(350);
    const apollo = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    expect(priceOf((await send(key, { token })).text)).toBe(350);
    expect(apollo).toHaveBeenCalledTimes(1);
    // Each repeat recorded once: the edge's stale answer was dropped before anything was recorded.
    expect(await auditOutcomes('ines', key)).toEqual(['created', ...Array(5).fill('duplicate')]);
  });

  it('is not kept for a padded body (memory is bounded in bytes as well as in entries)', async () => {
    const key = newKey('edge');
    const token = await server.tokenFor('jon');
    const padded = JSON.stringify({ ...JSON.parse(bodyOf(key)), extensions: { pad: 'x'.repeat(20_000) } });
    for (let sent = 0; sent < 3; sent += 1) expect((await postRaw(server.url, padded, { token })).status).toBe(200);
    const apollo = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    const repeat = await postRaw(server.url, padded, { token });
    expect(apollo).toHaveBeenCalledTimes(1);
    expect(parsed(repeat.text).data.createOrder.__typename).toBe('DuplicateDetected');
  });

  it('tells an empty Idempotency-Key header from none: Apollo refuses it as a bad key', async () => {
    const key = newKey('edge');
    const token = await server.tokenFor('kai');
    await createAndRepeatTwice(key, { token });
    const apollo = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    expect((await send(key, { token })).status).toBe(200);
    expect(apollo).toHaveBeenCalledTimes(0);

    const empty = await send(key, { token, headers: { 'idempotency-key': '' } });
    expect(apollo).toHaveBeenCalledTimes(1);
    expect(empty.status).toBe(400);
    expect(parsed(empty.text).errors[0].extensions.code).toBe('BAD_IDEMPOTENCY_KEY');
  });

  it('is not kept for a long request, nor for a persisted query sent by its hash alone', async () => {
    const key = newKey('edge');
    const token = await server.tokenFor('lea');
    // A token sent after many blanks (the Bearer scheme allows them): a request of about 13 KB.
    const padded = { token: 'x', headers: { authorization: `Bearer${' '.repeat(13_000)}${token}` } };
    await createAndRepeatTwice(key, padded);
    const apollo = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
    expect(parsed((await send(key, padded)).text).data.createOrder.__typename).toBe('DuplicateDetected');
    expect(apollo).toHaveBeenCalledTimes(1);

    // Automatic persisted queries: the document once with its hash, then the hash alone.
    const hash = createHash('sha256').update(QUERY).digest('hex');
    const persisted = { persistedQuery: { version: 1, sha256Hash: hash } };
    const variables = { key, input: { currency: 'EUR', items: [{ sku: 'ER-A', quantity: 1 }] } };
    const registered = await postRaw(server.url, JSON.stringify({ query: QUERY, variables, extensions: persisted }), {
      token,
    });
    expect(parsed(registered.text).data.createOrder.__typename).toBe('DuplicateDetected');
    const byHash = JSON.stringify({ variables, extensions: persisted });
    for (let sent = 0; sent < 3; sent += 1) {
      expect(parsed((await postRaw(server.url, byHash, { token })).text).data.createOrder.__typename).toBe(
        'DuplicateDetected',
      );
    }
    expect(apollo).toHaveBeenCalledTimes(5);
  });
});
