import fc from 'fast-check';
import { seedProducts } from '../support/catalog';
import { post, signDelivery } from '../support/channels';
import { fuzzSeed, hostileString, hostileValueWith } from '../support/hostile-values';
import { withTestServer } from '../support/test-server-fixture';

// Random and hostile bodies at every channel endpoint, past its authentication (webhooks signed
// with the right secret, an admin's and a customer's token), so that the payload paths are what
// is hit: none may get a 5xx, leak a stack trace or pollute Object.prototype. Fixed seed: a
// failure reproduces; FUZZ_SEED=<integer> runs another.
const RUNS = 200;
const SEED = fuzzSeed(20_261_201);
const SECRET = 'acme-webhook-secret-for-tests';

const fixture = withTestServer('channels-hostile', {
  MARKETPLACE_WEBHOOK_SECRETS: `acme=${SECRET}`,
  SEMANTIC_DUPLICATE_POLICY: 'OFF',
  ORDER_RATE_LIMIT: '100000/1',
});
let admin: string;
let customer: string;

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'FUZZ-1', priceCents: 100, stock: 1_000_000 }]);
  admin = await fixture.server.tokenFor('fuzz-admin', 'admin');
  customer = await fixture.server.tokenFor('fuzz-customer');
});

const hostileValue = hostileValueWith([
  '__proto__',
  'constructor',
  'orderId',
  'customerId',
  'currency',
  'items',
  'sku',
  'quantity',
  'shippingAddress',
  'line1',
  'country',
]);

/** Valid, then broken in one place or another: so that the checks past the shape are reached too. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: hostileValue, weight: 1 });
const item = (sku: fc.Arbitrary<unknown>, quantity: fc.Arbitrary<unknown>) =>
  fc.array(fc.record({ sku, quantity }), { minLength: 1, maxLength: 3 });
/** What an order asks for: valid (it is placed), breaking a rule of the order (a 4xx from the gate), or broken anywhere. */
const contents = {
  valid: fc.record({
    currency: fc.constantFrom('EUR', 'eur'),
    items: item(fc.constantFrom('FUZZ-1', ' fuzz-1 '), fc.integer({ min: 1, max: 3 })),
  }),
  ruleBroken: fc.record({
    currency: fc.constantFrom('EUR', 'USD'),
    items: item(fc.constantFrom('FUZZ-1', 'NOPE-1'), fc.integer({ min: -1, max: 3 })),
  }),
  mixed: fc.record(
    {
      currency: mostly(fc.constantFrom('EUR', 'USD')),
      items: mostly(item(mostly(fc.constantFrom('FUZZ-1', 'NOPE-1')), mostly(fc.integer({ min: -1, max: 5 })))),
      shippingAddress: hostileValue,
    },
    { requiredKeys: [] },
  ),
};
/** A REST body (its schema refuses unknown fields) and a marketplace order (which has two more). */
const restBody = fc.oneof(contents.valid, contents.ruleBroken, contents.mixed);
const marketplaceOrder = fc
  .tuple(
    fc.oneof(contents.valid, contents.ruleBroken, contents.mixed),
    fc.record({ orderId: mostly(fc.uuid()), customerId: mostly(fc.constantFrom('fuzz-a', 'fuzz-b')) }),
  )
  .map(([content, identity]) => ({ ...content, ...identity }));
const body = (order: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { arbitrary: order.map((value) => JSON.stringify(value)), weight: 6 },
    { arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? 'null'), weight: 1 },
    { arbitrary: hostileString, weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '{"__proto__":{"polluted":"yes"},"currency":"EUR","items":[{"sku":"FUZZ-1","quantity":1}]}',
        '[1,2',
        '{"items":' + '['.repeat(5_000),
      ),
      weight: 1,
    },
  );
const csvLine = fc
  .array(
    fc.oneof(hostileString, fc.constantFrom('s1', 'r1', 'FUZZ-1', '1', 'EUR', '"quoted, field"', '"', ',', '\r')),
    { maxLength: 7 },
  )
  .map((fields) => fields.join(','));
const csv = fc
  .tuple(fc.array(csvLine, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, eol]) => ['store,receipt,sku,quantity,currency,customer', ...lines].join(eol));

/** Statuses seen per endpoint: the fuzz must reach past the first checks, not only bounce off them. */
const statuses: Record<string, number[]> = { webhook: [], rest: [], pos: [] };

async function expectHandled(endpoint: string, response: { status: number; text: string }): Promise<void> {
  statuses[endpoint].push(response.status);
  expect(response.status).toBeLessThan(500);
  expect(response.text).not.toMatch(/\n\s+at /);
  expect(response.text).not.toMatch(/prisma|SELECT |INSERT /i);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}

describe('hostile input at the channel endpoints', () => {
  it('the signed marketplace webhook answers every body without a 5xx or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(body(marketplaceOrder), async (text) => {
        await expectHandled(
          'webhook',
          await post(fixture.server.url, '/channels/marketplace/acme/orders', text, signDelivery(SECRET, text)),
        );
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('the REST API answers every body and key without a 5xx or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(body(restBody), fc.oneof(hostileString, fc.uuid()), async (text, key) => {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          authorization: `Bearer ${customer}`,
        };
        // A header value Node refuses to send is no request at all: send it without the key.
        if (/^[\t\x20-\x7e]*$/.test(key)) headers['idempotency-key'] = key;
        await expectHandled('rest', await post(fixture.server.url, '/api/v1/orders', text, headers));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('the POS upload answers every file without a 5xx or a stack trace, and ends its stream with a report', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(csv, hostileString), async (text) => {
        const response = await post(fixture.server.url, '/channels/pos/receipts', text, {
          authorization: `Bearer ${admin}`,
          'content-type': 'text/csv',
        });
        await expectHandled('pos', response);
        if (response.status === 200)
          expect(JSON.parse(response.text.trim().split('\n').at(-1)!)).toMatchObject({ type: 'report' });
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('reached the gate: some of those requests created orders, others were refused for their content', () => {
    expect(statuses['webhook']).toEqual(expect.arrayContaining([200, 400, 422]));
    expect(statuses['rest']).toEqual(expect.arrayContaining([201, 400]));
    expect(statuses['pos']).toEqual(expect.arrayContaining([200, 400]));
  });
});
