import { RedisClaimStore } from 'graphql-idempotency';
import { CreateOrderIdempotency } from '../../src/orders/create-order.idempotency';
import { claimKeyPrefix } from '../../src/stores/store-keys';
import { CreateOrderDocument, UpsertProductDocument } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { postOperation } from '../support/graphql-client';
import { newKey, orderIdOf } from '../support/order-client';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { cancelOrder } from './lifecycle/lifecycle-client';

// A repeat sent again as it was (same caller, document and variables) is answered with the response
// stored when it was first answered from its claim, without executing the selection set, while its
// claim in Redis is still the one the response came from.

let db: TestDatabase;
let server: TestServer;
let claims: RedisClaimStore;

beforeAll(async () => {
  db = await createTestDatabase('response_replay');
  // A long catalog TTL: stored responses outlive every step of a test on a loaded machine.
  server = await startTestServer(db.url, 'response-replay', {
    SEMANTIC_DUPLICATE_POLICY: 'OFF',
    CATALOG_CACHE_TTL_MS: '60000',
  });
  claims = new RedisClaimStore(server.app.redis!, claimKeyPrefix(server.config.redisKeyPrefix));
  await seedProducts(db.url, [{ sku: 'RR-A', priceCents: 400, stock: 1_000 }]);
});

afterEach(() => jest.restoreAllMocks());

afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const input = { currency: 'EUR', items: [{ sku: 'RR-A', quantity: 2 }] };

async function send(customerId: string, key: string, payload: object = input, url = server.url) {
  const response = await postOperation(
    url,
    CreateOrderDocument,
    { key, input: payload as typeof input },
    { token: await server.tokenFor(customerId) },
  );
  expect(response.body.errors).toBeUndefined();
  return { answer: response.body.data!.createOrder, headers: response.headers };
}

async function auditOutcomes(customerId: string, key: string): Promise<string[]> {
  await server.app.services.auditLog.flush();
  const rows = await db.query<{ outcome: string; source: string | null; claim: string }>(
    `SELECT "outcome", "source", "claim" FROM "IdempotencyAuditEvent"
      WHERE "customerId" = $1 AND "idempotencyKey" = $2 ORDER BY "at", "id"`,
    [customerId, key],
  );
  return rows.map((row) => [row.outcome, row.source, row.claim].filter(Boolean).join('/'));
}

describe('a repeat answered again from its stored response', () => {
  it('is the same answer, without executing the field, and is still counted, audited and marked replayed', async () => {
    const key = newKey('rr');
    const created = await send('rhea', key);
    const answering = jest.spyOn(CreateOrderIdempotency.prototype, 'answer');
    const first = await send('rhea', key);
    // The probe can see execution: the first repeat asked the policy for its answer.
    expect(answering).toHaveBeenCalledTimes(1);
    const again = [await send('rhea', key), await send('rhea', key)];

    expect(answering).toHaveBeenCalledTimes(1);
    expect(first.answer).toMatchObject({ __typename: 'DuplicateDetected', detectedBy: 'CACHE' });
    expect(orderIdOf(first.answer)).toBe(orderIdOf(created.answer));
    for (const repeat of again) {
      expect(repeat.answer).toEqual(first.answer);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
    }
    expect(await auditOutcomes('rhea', key)).toEqual([
      'created/claimed',
      'duplicate/CACHE/held',
      'duplicate/CACHE/held',
      'duplicate/CACHE/held',
    ]);
  });

  it('follows an order that changed since: cancelled, the repeat shows it cancelled', async () => {
    const key = newKey('rr');
    const orderId = orderIdOf((await send('cora', key)).answer)!;
    expect((await send('cora', key)).answer).toMatchObject({ originalOrder: { status: 'CONFIRMED' } });
    expect((await send('cora', key)).answer).toMatchObject({ originalOrder: { status: 'CONFIRMED' } });

    const token = await server.tokenFor('cora');
    expect(await cancelOrder(server.url, token, { orderId, key: newKey('cancel'), reason: 'no' })).toMatchObject({
      __typename: 'OrderCancelled',
    });
    expect((await send('cora', key)).answer).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: orderId, status: 'CANCELLED' },
    });
  });

  it('is not sent while another request holds the key, nor for another payload, nor to another caller', async () => {
    const key = newKey('rr');
    await send('hana', key);
    const stored = (await send('hana', key)).answer;
    await send('hana', key);

    // Another caller with the very same document and variables: their own key, their own order.
    const other = (await send('ivo', key)).answer;
    expect(other).toMatchObject({ __typename: 'OrderCreated' });
    expect(orderIdOf(other)).not.toBe(orderIdOf(stored));

    expect((await send('hana', key, { ...input, items: [{ sku: 'RR-A', quantity: 3 }] })).answer).toMatchObject({
      __typename: 'IdempotencyKeyReused',
    });

    // The key's claim is now a request in progress (its completed claim gone, a new one running): the
    // request runs as any other, and the guard asks the database, which holds the order.
    const claimName = claims.keyFor({ operation: 'createOrder', scope: 'hana', key });
    const pending = { state: 'pending', fingerprint: 'f'.repeat(64), owner: 'someone', claimedAt: Date.now() };
    await server.app.redis!.set(claimName, JSON.stringify(pending), 'PX', 60_000);
    expect((await send('hana', key)).answer).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'DATABASE',
      originalOrder: { id: orderIdOf(stored) },
    });
  });

  it('shows a product changed on this server at once', async () => {
    const key = newKey('rr');
    await send('pia', key);
    const before = (await send('pia', key)).answer;
    expect(before).toMatchObject({ originalOrder: { items: [{ product: { priceCents: 400 } }] } });
    await send('pia', key);

    const admin = await server.tokenFor('ops', 'admin');
    const changed = await postOperation(
      server.url,
      UpsertProductDocument,
      { input: { sku: 'RR-A', name: 'RR-A', priceCents: 450, currency: 'EUR', stock: 1_000 } },
      { token: admin },
    );
    expect(changed.body.errors).toBeUndefined();
    expect((await send('pia', key)).answer).toMatchObject({
      originalOrder: { items: [{ unitPriceCents: 400, product: { priceCents: 450 } }] },
    });
  });
});

describe('two instances sharing one Redis', () => {
  let twin: TestServer;

  beforeAll(async () => {
    twin = await startTestServer(db.url, 'response-replay-twin', {
      SEMANTIC_DUPLICATE_POLICY: 'OFF',
      CATALOG_CACHE_TTL_MS: '60000',
      REDIS_KEY_PREFIX: server.config.redisKeyPrefix,
    });
  });
  afterAll(() => twin?.stop());

  it('an order cancelled through one is shown cancelled by the other’s next repeat (its near cache told by Redis)', async () => {
    const key = newKey('rr-twin');
    const orderId = orderIdOf((await send('uma', key)).answer)!;
    // The twin answers the repeat from the claim, stores the response, then confirms it from memory.
    for (let repeat = 0; repeat < 3; repeat += 1) {
      expect((await send('uma', key, input, twin.url)).answer).toMatchObject({
        originalOrder: { status: 'CONFIRMED' },
      });
    }
    const token = await server.tokenFor('uma');
    expect(await cancelOrder(server.url, token, { orderId, key: newKey('cancel'), reason: 'no' })).toMatchObject({
      __typename: 'OrderCancelled',
    });
    expect((await send('uma', key, input, twin.url)).answer).toMatchObject({
      __typename: 'DuplicateDetected',
      originalOrder: { id: orderId, status: 'CANCELLED' },
    });
  });
});
