import { randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { ordersOfIdentity, post, signDelivery } from '../support/channels';
import type { JsonResponse } from '../support/channels';
import { createOrder, newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';
import { changeShippingAddress, placeOrders } from './lifecycle/lifecycle-client';

/**
 * Every door that takes an address refuses one with a control character or a bidirectional
 * override, naming the field, and writes nothing: createOrder and changeShippingAddress in
 * GraphQL, POST /api/v1/orders and its shipping-address route in REST, the marketplace webhook.
 * One rule (parseShippingAddress) behind them all. Found from outside: a bell, an ANSI colour
 * sequence, a line break inside line1 and U+202E were stored and printed as sent.
 */
const SECRET = 'control-characters-webhook-secret';
const fixture = withTestServer('address-controls', { MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}` });

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'CTRL-1', priceCents: 300, stock: 1_000 }]);
});

const address = { name: 'Ada Lovelace', line1: '4 Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' };
const cart = { currency: 'EUR', items: [{ sku: 'CTRL-1', quantity: 1 }] };
const rtlOverride = { ...address, line1: '4 Baker \u202eteertS' };
const bell = { ...address, name: 'Ada\u0007 Lovelace' };
const ansi = { ...address, city: '\u001b[31mLondon\u001b[0m' };
const newline = { ...address, line1: '4 Baker Street\nFlat 12' };

async function ordersOf(customerId: string): Promise<number> {
  const [{ count }] = await fixture.db.query<{ count: number }>(
    'SELECT count(*)::int AS "count" FROM "Order" WHERE "customerId" = $1',
    [customerId],
  );
  return count;
}

const rest = async (path: string, token: string, body: unknown): Promise<JsonResponse> =>
  post(fixture.server.url, path, JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'idempotency-key': newKey('rest'),
  });

describe('an address with a control character, at every door', () => {
  it.each([
    ['a right-to-left override', rtlOverride, 'line1', 'U+202E'],
    ['a bell', bell, 'name', 'U+0007'],
    ['an ANSI escape', ansi, 'city', 'U+001B'],
    ['a line break inside the line', newline, 'line1', 'U+000A'],
  ])('createOrder answers %s with ValidationFailed naming the field', async (_label, shippingAddress, field, code) => {
    const customerId = `controls-${randomUUID()}`;
    const answer = await createOrder(fixture.server, { customerId }, newKey(), { ...cart, shippingAddress });
    expect(answer).toEqual({
      __typename: 'ValidationFailed',
      field: `shippingAddress.${field}`,
      message: expect.stringContaining(code),
    });
    expect(await ordersOf(customerId)).toBe(0);
  });

  it('createOrder answers a required field of nothing visible (a Hangul filler, a zero-width space) as missing', async () => {
    const customerId = `controls-blank-${randomUUID()}`;
    for (const [field, blank] of [
      ['line1', '\u3164'],
      ['city', '\u200b \u200e'],
    ]) {
      const answer = await createOrder(fixture.server, { customerId }, newKey(), {
        ...cart,
        shippingAddress: { ...address, [field]: blank },
      });
      expect(answer).toEqual({
        __typename: 'ValidationFailed',
        field: `shippingAddress.${field}`,
        message: 'This field is required.',
      });
    }
    expect(await ordersOf(customerId)).toBe(0);
  });

  it('changeShippingAddress answers ValidationFailed and keeps the address', async () => {
    const [orderId] = await placeOrders(fixture.server, 'CTRL-1', 1, 1, () => 'controls-move');
    const token = await fixture.server.tokenFor('controls-move');
    const answer = await changeShippingAddress(fixture.server.url, token, {
      orderId,
      key: newKey('address'),
      address: rtlOverride,
    });
    expect(answer).toMatchObject({ __typename: 'ValidationFailed', field: 'address.line1' });
    const [row] = await fixture.db.query<{ shippingAddress: unknown }>(
      'SELECT "shippingAddress" FROM "Order" WHERE "id" = $1',
      [orderId],
    );
    expect(row.shippingAddress).toBeNull();
  });

  it('the REST API answers 400 VALIDATION_FAILED naming the field, for a new order and for an address change', async () => {
    const customerId = `controls-rest-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customerId);
    const created = await rest('/api/v1/orders', token, { ...cart, shippingAddress: ansi });
    expect(created.json).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', field: 'shippingAddress.city' });
    expect(await ordersOf(customerId)).toBe(0);

    const [orderId] = await placeOrders(fixture.server, 'CTRL-1', 1, 1, () => customerId);
    const moved = await rest(`/api/v1/orders/${orderId}/shipping-address`, token, { address: newline });
    expect(moved.json).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', field: 'address.line1' });
  });

  it('the marketplace webhook answers 422 naming the field', async () => {
    const orderId = `MKT-${randomUUID()}`;
    const body = JSON.stringify({ orderId, customerId: 'controls-buyer', ...cart, shippingAddress: bell });
    const answer = await post(
      fixture.server.url,
      '/channels/marketplace/acme/orders',
      body,
      signDelivery(SECRET, body),
    );
    expect([answer.status, answer.json['code'], answer.json['field']]).toEqual([
      422,
      'VALIDATION_FAILED',
      'shippingAddress.name',
    ]);
    expect(await ordersOfIdentity(fixture.db, 'MARKETPLACE', 'acme', orderId)).toEqual([]);
  });
});
