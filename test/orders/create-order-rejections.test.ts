import { randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { CREATE_ORDER } from '../support/operations';
import { deleteRedisPrefix } from '../support/redis';
import { withTestServer } from '../support/test-server-fixture';
import { claimKeyPattern } from '../../src/stores/store-keys';

let token: string;

const fixture = withTestServer('rejections');

beforeAll(async () => {
  token = await fixture.server.tokenFor('erin');
  await seedProducts(fixture.db.url, [
    { sku: 'VALID-1', priceCents: 300, stock: 10 },
    { sku: 'DOLLAR-1', priceCents: 300, currency: 'USD', stock: 10 },
  ]);
});

async function send(key: string, input: Record<string, unknown>) {
  const response = await postGraphQL<{ createOrder: Record<string, unknown> }>(
    fixture.server.url,
    CREATE_ORDER,
    { key, input },
    { token },
  );
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createOrder;
}

/** Nothing was written: no order, no items, no stock taken, no claim left in Redis. */
async function expectNothingWritten(): Promise<void> {
  const [counts] = await fixture.db.query<{ orders: string; items: string; stock: string }>(
    `SELECT (SELECT count(*) FROM "Order") AS orders, (SELECT count(*) FROM "OrderItem") AS items,
            (SELECT sum("stock") FROM "Product") AS stock`,
  );
  expect(counts).toEqual({ orders: '0', items: '0', stock: '20' });
  // Nothing remembered for the key (the rate limiter's counter of attempts is not about the key).
  const keys = await fixture.server.app.redis?.keys(claimKeyPattern(fixture.server.config.redisKeyPrefix));
  expect(keys).toEqual([]);
}

const valid = { currency: 'EUR', items: [{ sku: 'VALID-1', quantity: 1 }] };
const withCountry = (country: string) => ({
  ...valid,
  shippingAddress: { line1: '1 Rue Neuve', city: 'Pristina', postalCode: '10000', country },
});

describe('createOrder rejections', () => {
  afterEach(() => deleteRedisPrefix(fixture.server.config.redisKeyPrefix));

  it.each([
    ['too short', 'short'],
    ['too long', 'k'.repeat(256)],
    ['with a space', 'has a space'],
    ['with a slash', 'order/2026/1'],
    ['with unicode', 'clé-de-commande'],
    ['empty', ''],
  ])('answers a key %s with InvalidIdempotencyKey and writes nothing', async (_label, key) => {
    const result = await send(key, valid);
    expect(result).toEqual({ __typename: 'InvalidIdempotencyKey', message: expect.stringMatching(/idempotency key/) });
    await expectNothingWritten();
  });

  it.each([
    ['an unknown SKU', { currency: 'EUR', items: [{ sku: 'NOPE-404', quantity: 1 }] }, 'items', /Unknown SKU NOPE-404/],
    [
      'a zero quantity',
      { currency: 'EUR', items: [{ sku: 'VALID-1', quantity: 0 }] },
      'items[0].quantity',
      /at least 1/,
    ],
    [
      'a negative quantity',
      { currency: 'EUR', items: [{ sku: 'VALID-1', quantity: -2 }] },
      'items[0].quantity',
      /at least 1/,
    ],
    ['no items', { currency: 'EUR', items: [] }, 'items', /at least one item/],
    [
      'a currency the catalog does not sell in',
      { currency: 'EUR', items: [{ sku: 'DOLLAR-1', quantity: 1 }] },
      'currency',
      /sold in USD/,
    ],
    ['a malformed currency', { currency: 'euros', items: [{ sku: 'VALID-1', quantity: 1 }] }, 'currency', /ISO 4217/],
    // Three letters, but no currency: nothing could ever be sold in it.
    [
      'a currency code ISO never assigned',
      { currency: 'xyz', items: [{ sku: 'VALID-1', quantity: 1 }] },
      'currency',
      /ISO 4217 code, e\.g\. EUR/,
    ],
    // Shaped like a country code, but none: no carrier can ship there.
    ['a country code ISO never assigned', withCountry('XX'), 'shippingAddress.country', /ISO 3166-1 alpha-2/],
    ['UK, which ISO spells GB', withCountry('uk'), 'shippingAddress.country', /United Kingdom is GB/],
    // A dotless i upper-cases to I: 'ıt' would have become Italy.
    ['a code written with a non-ASCII letter', withCountry('ıt'), 'shippingAddress.country', /ISO 3166-1 alpha-2/],
  ])('answers %s with ValidationFailed and writes nothing', async (_label, input, field, message) => {
    const result = await send(`key-${randomUUID()}`, input);
    expect(result).toEqual({ __typename: 'ValidationFailed', field, message: expect.stringMatching(message) });
    await expectNothingWritten();
  });

  it('answers more units than in stock with InsufficientStock and writes nothing', async () => {
    const result = await send(`key-${randomUUID()}`, { currency: 'EUR', items: [{ sku: 'VALID-1', quantity: 11 }] });
    expect(result).toEqual({ __typename: 'InsufficientStock', sku: 'VALID-1', requested: 11, available: 10 });
    await expectNothingWritten();
  });

  it('places an order to Kosovo (XK, which carriers and the EU use though ISO leaves it unassigned), in any case', async () => {
    const result = await send(`key-${randomUUID()}`, withCountry('xk'));
    expect(result.__typename).toBe('OrderCreated');
    const [stored] = await fixture.db.query<{ country: string }>(
      `SELECT "shippingAddress"->>'country' AS country FROM "Order"`,
    );
    expect(stored).toEqual({ country: 'XK' });
    await fixture.db.query('TRUNCATE "Order" CASCADE');
    await seedProducts(fixture.db.url, [{ sku: 'VALID-1', priceCents: 300, stock: 10 }]);
  });

  it('lets a corrected retry with the same key succeed after a rejection', async () => {
    const key = `key-${randomUUID()}`;
    expect((await send(key, { currency: 'EUR', items: [{ sku: 'NOPE-404', quantity: 1 }] })).__typename).toBe(
      'ValidationFailed',
    );
    expect((await send(key, valid)).__typename).toBe('OrderCreated');
    await fixture.db.query('TRUNCATE "Order" CASCADE');
    await seedProducts(fixture.db.url, [{ sku: 'VALID-1', priceCents: 300, stock: 10 }]);
  });

  it('answers a GraphQL type error with a typed error and no stack trace', async () => {
    const response = await postGraphQL(
      fixture.server.url,
      CREATE_ORDER,
      { key: 'abcdefgh-1', input: { currency: 'EUR', items: [{ sku: 'X', quantity: 1.5 }] } },
      { token },
    );
    // A variable coercion failure: 200 for an application/json client (GraphQL over HTTP), no data.
    expect([response.status, response.body.data]).toEqual([200, undefined]);
    expect(response.body.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(response.body)).not.toMatch(/stacktrace|at .*\.js:\d+/);
    await expectNothingWritten();
  });
});
