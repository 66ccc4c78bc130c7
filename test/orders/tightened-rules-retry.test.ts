import { randomUUID } from 'node:crypto';
import * as countryCodes from '../../src/orders/country-codes';
import * as printableText from '../../src/request/printable-text';
import { claimKey } from '../../src/stores/store-keys';
import { CreateOrderDocument } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { forgetClaim } from '../support/claims';
import { postOperation } from '../support/graphql-client';
import { post } from '../support/channels';
import type { JsonResponse } from '../support/channels';
import { createOrder, newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { cancelOrder, changeShippingAddress, placeOrders } from './lifecycle/lifecycle-client';

/**
 * A key whose first request an earlier version accepted, retried with the same payload after a
 * deploy whose rules refuse it, gets its first answer: not ValidationFailed, which the client SDK
 * takes as final (and the customer orders again). The earlier version is this one without the
 * printable-text rule (a U+202E in an address was stored as sent before that rule existed): its
 * check is switched off while the first request runs, and on again for the retry.
 */
const fixture = withTestServer('tightened-rules', { SEMANTIC_DUPLICATE_POLICY: 'OFF' });

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'TIGHT-1', priceCents: 300, stock: 1_000 }]);
});

afterEach(() => jest.restoreAllMocks());

const address = { name: 'Ada Lovelace', line1: '4 Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' };
/** A payload the earlier version accepted and this one refuses: a right-to-left override in line1. */
const overridden = { ...address, line1: '4 Baker \u202eteertS' };
const cart = { currency: 'EUR', items: [{ sku: 'TIGHT-1', quantity: 1 }] };

/** Runs `request` as the version before the printable-text rule would. */
async function beforeTheRule<T>(request: () => Promise<T>): Promise<T> {
  const rule = jest.spyOn(printableText, 'firstUnprintable').mockReturnValue(null);
  try {
    return await request();
  } finally {
    rule.mockRestore();
  }
}

async function ordersOf(customerId: string): Promise<{ id: string; line1: string }[]> {
  return fixture.db.query<{ id: string; line1: string }>(
    `SELECT "id", "shippingAddress"->>'line1' AS "line1" FROM "Order" WHERE "customerId" = $1`,
    [customerId],
  );
}

const rest = (token: string, key: string, body: unknown): Promise<JsonResponse> =>
  post(fixture.server.url, '/api/v1/orders', JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': key,
  });

describe('a retry after the rules were tightened', () => {
  it('createOrder answers the same payload with DuplicateDetected and the first order, another with IdempotencyKeyReused', async () => {
    const customerId = `tight-${randomUUID()}`;
    const key = newKey('tight');
    const payload = { ...cart, shippingAddress: overridden };
    const placed = await beforeTheRule(() => createOrder(fixture.server, { customerId }, key, payload));
    if (placed.__typename !== 'OrderCreated') throw new Error(`placing failed: ${placed.__typename}`);
    expect(await ordersOf(customerId)).toEqual([{ id: placed.order.id, line1: overridden.line1 }]);

    // The rule holds now: a new key with this payload is refused.
    expect(await createOrder(fixture.server, { customerId }, newKey('tight'), payload)).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'shippingAddress.line1',
    });
    const retry = await createOrder(fixture.server, { customerId }, key, payload);
    expect(retry).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: placed.order.id } });
    // Sent again as it was, it is answered from the stored response (before any rule runs): the same answer.
    const token = await fixture.server.tokenFor(customerId);
    const again = await postOperation(fixture.server.url, CreateOrderDocument, { key, input: payload }, { token });
    expect([again.body.data?.createOrder, again.headers['idempotent-replayed']]).toEqual([retry, 'true']);

    const other = await createOrder(fixture.server, { customerId }, key, {
      ...payload,
      items: [{ sku: 'TIGHT-1', quantity: 2 }],
    });
    expect(other.__typename).toBe('IdempotencyKeyReused');
    expect((await ordersOf(customerId)).map((order) => order.id)).toEqual([placed.order.id]);
  });

  it('a country refused since (UK, now to be written GB) is answered as the first order too', async () => {
    const customerId = `tight-country-${randomUUID()}`;
    const key = newKey('tight-country');
    const payload = { ...cart, shippingAddress: { ...address, country: 'uk' } };
    const rule = jest.spyOn(countryCodes, 'countryCodeProblem').mockReturnValue(null);
    const placed = await createOrder(fixture.server, { customerId }, key, payload);
    rule.mockRestore();
    if (placed.__typename !== 'OrderCreated') throw new Error(`placing failed: ${placed.__typename}`);

    expect(await createOrder(fixture.server, { customerId }, newKey('tight-country'), payload)).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'shippingAddress.country',
    });
    // The same country in another case is the same payload: its canonical form is upper case.
    const retry = await createOrder(fixture.server, { customerId }, key, {
      ...payload,
      shippingAddress: { ...address, country: 'UK' },
    });
    expect(retry).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: placed.order.id } });
    expect(await ordersOf(customerId)).toHaveLength(1);
  });

  it('a required field of nothing visible (accepted, trimmed, before such fields were read as blank) is answered as the first order', async () => {
    const customerId = `tight-blank-${randomUUID()}`;
    const key = newKey('tight-blank');
    const payload = { ...cart, shippingAddress: { ...address, line1: ' \u3164 ' } };
    // The version before: trim() was the only test of an empty field.
    const rule = jest.spyOn(printableText, 'isBlank').mockImplementation((text) => text.length === 0);
    const placed = await createOrder(fixture.server, { customerId }, key, payload);
    rule.mockRestore();
    if (placed.__typename !== 'OrderCreated') throw new Error(`placing failed: ${placed.__typename}`);

    expect(await createOrder(fixture.server, { customerId }, newKey('tight-blank'), payload)).toMatchObject({
      __typename: 'ValidationFailed',
      field: 'shippingAddress.line1',
    });
    const retry = await createOrder(fixture.server, { customerId }, key, payload);
    expect(retry).toMatchObject({ __typename: 'DuplicateDetected', originalOrder: { id: placed.order.id } });
    expect(await ordersOf(customerId)).toHaveLength(1);
  });

  it('asks the database when the claim is gone from Redis (its retention ended)', async () => {
    const customerId = `tight-db-${randomUUID()}`;
    const key = newKey('tight-db');
    const payload = { ...cart, shippingAddress: overridden };
    const placed = await beforeTheRule(() => createOrder(fixture.server, { customerId }, key, payload));
    if (placed.__typename !== 'OrderCreated') throw new Error(`placing failed: ${placed.__typename}`);
    expect(await forgetClaim(fixture.server, customerId, key)).toBe(1);

    const retry = await createOrder(fixture.server, { customerId }, key, payload);
    expect(retry).toMatchObject({
      __typename: 'DuplicateDetected',
      detectedBy: 'DATABASE',
      originalOrder: { id: placed.order.id },
    });
    // Read, not written: nothing is claimed or remembered for a refused payload.
    expect(
      await fixture.server.app.redis!.exists(claimKey(fixture.server.config.redisKeyPrefix, customerId, key)),
    ).toBe(0);
    expect(await ordersOf(customerId)).toHaveLength(1);
  });

  it('answers an unknown key with the refusal and writes nothing', async () => {
    const customerId = `tight-new-${randomUUID()}`;
    const key = newKey('tight-new');
    const answer = await createOrder(fixture.server, { customerId }, key, { ...cart, shippingAddress: overridden });
    expect(answer).toMatchObject({ __typename: 'ValidationFailed', field: 'shippingAddress.line1' });
    expect(await ordersOf(customerId)).toEqual([]);
    const claim = claimKey(fixture.server.config.redisKeyPrefix, customerId, key);
    expect(await fixture.server.app.redis!.exists(claim)).toBe(0);
  });

  it('the REST API replays the first order (200, Idempotent-Replayed), 422 for another body, 400 for a new key', async () => {
    const customerId = `tight-rest-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customerId);
    const key = newKey('tight-rest');
    const body = { ...cart, shippingAddress: overridden };
    const created = await beforeTheRule(() => rest(token, key, body));
    expect(created.status).toBe(201);

    expect((await rest(token, newKey('tight-rest'), body)).json).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'shippingAddress.line1',
    });
    const retry = await rest(token, key, body);
    expect([retry.status, retry.headers['idempotent-replayed'], retry.json['id']]).toEqual([
      200,
      'true',
      created.json['id'],
    ]);
    const reused = await rest(token, key, { ...body, currency: 'USD' });
    expect([reused.status, reused.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await ordersOf(customerId)).toHaveLength(1);
  });

  it('changeShippingAddress answers the same address with the change it made, another with IdempotencyKeyReused', async () => {
    const customerId = `tight-move-${randomUUID()}`;
    const [orderId] = await placeOrders(fixture.server, 'TIGHT-1', 1, 1, () => customerId);
    const token = await fixture.server.tokenFor(customerId);
    const key = newKey('tight-move');
    const moved = await beforeTheRule(() =>
      changeShippingAddress(fixture.server.url, token, { orderId, key, address: overridden }),
    );
    expect(moved.__typename).toBe('ShippingAddressChanged');

    const fresh = await changeShippingAddress(fixture.server.url, token, {
      orderId,
      key: newKey('tight-move'),
      address: overridden,
    });
    expect(fresh).toMatchObject({ __typename: 'ValidationFailed', field: 'address.line1' });
    const retry = await changeShippingAddress(fixture.server.url, token, { orderId, key, address: overridden });
    expect(retry).toMatchObject({ __typename: 'ShippingAddressChanged', detectedBy: 'CACHE' });
    const other = { ...overridden, city: 'Leeds' };
    const reused = await changeShippingAddress(fixture.server.url, token, { orderId, key, address: other });
    expect(reused.__typename).toBe('IdempotencyKeyReused');
    const changes = await fixture.db.query<{ count: number }>(
      `SELECT count(*)::int AS "count" FROM "AppliedChange" WHERE "orderId" = $1`,
      [orderId],
    );
    expect(changes[0].count).toBe(1);
    // The repeat answered past the refusal is audited as every repeat is: naming its order (orderHistory lists it).
    await fixture.server.app.services.auditLog.flush();
    const audit = await fixture.db.query<{ outcome: string; orderId: string | null }>(
      `SELECT "outcome", "orderId"::text FROM "IdempotencyAuditEvent"
        WHERE "operation" = 'changeShippingAddress' AND "idempotencyKey" = $1 ORDER BY "at", "id"`,
      [key],
    );
    expect(audit).toEqual([
      { outcome: 'created', orderId },
      { outcome: 'duplicate', orderId },
      { outcome: 'reused', orderId: null },
    ]);
  });

  it('cancelOrder answers a reason an earlier version took (an ESC) with its cancellation, from Redis or the database', async () => {
    const customerId = `tight-cancel-${randomUUID()}`;
    const [orderId] = await placeOrders(fixture.server, 'TIGHT-1', 1, 1, () => customerId);
    const token = await fixture.server.tokenFor(customerId);
    const key = newKey('tight-cancel');
    const reason = 'ordered twice \u001b[1mby mistake';
    const cancelled = await beforeTheRule(() => cancelOrder(fixture.server.url, token, { orderId, key, reason }));
    expect(cancelled).toMatchObject({ __typename: 'OrderCancelled', reason });

    expect(
      await cancelOrder(fixture.server.url, token, { orderId, key: newKey('tight-cancel'), reason }),
    ).toMatchObject({ __typename: 'ValidationFailed', field: 'reason' });
    const retry = await cancelOrder(fixture.server.url, token, { orderId, key, reason });
    expect(retry).toMatchObject({ __typename: 'OrderCancelled', detectedBy: 'CACHE', reason });
    expect(await forgetClaim(fixture.server, customerId, key, 'cancelOrder')).toBe(1);
    const fromDatabase = await cancelOrder(fixture.server.url, token, { orderId, key, reason });
    expect(fromDatabase).toMatchObject({ __typename: 'OrderCancelled', detectedBy: 'DATABASE', reason });
    const other = await cancelOrder(fixture.server.url, token, { orderId, key, reason: 'ordered twice\tby mistake' });
    expect(other.__typename).toBe('IdempotencyKeyReused');
    const changes = await fixture.db.query<{ reason: string }>(
      'SELECT "reason" FROM "AppliedChange" WHERE "orderId" = $1',
      [orderId],
    );
    expect(changes).toEqual([{ reason }]);
  });
});
