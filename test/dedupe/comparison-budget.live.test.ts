import { performance } from 'node:perf_hooks';
import { compareOrders } from '../../src/dedupe/order-matcher';
import type { ShippingAddressInput } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { postGraphQL } from '../support/graphql-client';
import { createOrder, newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';

/**
 * The matcher runs inside the order's transaction, on the event loop every request shares. Its
 * usual cost is tens of microseconds a pair, but addresses made to be slow (200 characters of
 * repeated words) cost milliseconds each: a customer with many such orders of one cart in the
 * window made each new one block the server for the sum (found from outside, 2026-12-04). Past the
 * comparison budget (a count of character pairs, not a clock: the same answer on a busy machine)
 * the candidates left are not compared but held: unsure means the stronger rule.
 * API orders are not compared at all here (SEMANTIC_DUPLICATE_POLICY API:OFF), to build the history.
 */
const fixture = withTestServer('comparison-budget', {
  SEMANTIC_DUPLICATE_POLICY: 'HOLD,API:OFF',
  ORDER_RATE_LIMIT: '1000/10',
});
const SKU = 'BUDGET-TEA';

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: SKU, priceCents: 450, stock: 100_000 }]);
});

const WORDS = ['محمد', 'عبد', 'سعد', 'قيس', 'نور', 'هند', 'زيد', 'ليلى', 'فهد', 'رشا', 'طلال', 'جود'];
/** A line2 of 44 words, different for each `seed`: slow to compare with another such line. */
function slowLine(seed: number): string {
  const word = (index: number) =>
    WORDS[(index * ((seed % 5) + 1) + seed * 7 + Math.floor(index / 11) * seed) % WORDS.length];
  return Array.from({ length: 44 }, (_, index) => word(index))
    .join(' ')
    .slice(0, 200);
}
const address = (line2: string, line1 = '12 Baker Street'): ShippingAddressInput => ({
  line1,
  line2,
  city: 'London',
  postalCode: 'NW1 6XE',
  country: 'GB',
});
const input = (shippingAddress: ShippingAddressInput, channel?: 'API') => ({
  currency: 'EUR',
  items: [{ sku: SKU, quantity: 1 }],
  shippingAddress,
  ...(channel ? { channel } : {}),
});

it('holds an order whose comparisons would run past the budget, instead of blocking the server for them', async () => {
  const customerId = 'budget-slow';
  const history = Array.from({ length: 30 }, (_, seed) => address(slowLine(seed)));
  for (const shipping of history)
    expect((await createOrder(fixture.server, { customerId }, newKey(), input(shipping, 'API'))).__typename).toBe(
      'OrderCreated',
    );
  const next = address(slowLine(40));
  // The fault: comparing the new order with all of that history blocks for more than 50 ms (the
  // hundred ordinary candidates below: a few).
  const now = new Date();
  const started = performance.now();
  const matches = history.map((shipping) =>
    compareOrders(
      { customerId, currency: 'EUR', lines: [{ sku: SKU, quantity: 1 }], shippingAddress: next, createdAt: now },
      { customerId, currency: 'EUR', lines: [{ sku: SKU, quantity: 1 }], shippingAddress: shipping, createdAt: now },
    ),
  );
  expect(performance.now() - started).toBeGreaterThan(50);
  expect(matches.some((match) => match.equivalent)).toBe(false); // compared to the end, none is the same place

  const token = await fixture.server.tokenFor(customerId);
  const response = await postGraphQL(
    fixture.server.url,
    'mutation($key: String!, $input: CreateOrderInput!) { createOrder(idempotencyKey: $key, input: $input) { __typename ... on PossibleDuplicate { reasons similarity candidate { id } } } }',
    { key: newKey(), input: input(next) },
    { token },
  );
  const answer = (
    response.body.data as { createOrder: { __typename: string; reasons?: string[]; similarity?: number } }
  ).createOrder;
  expect(answer.__typename).toBe('PossibleDuplicate');
  expect(answer.reasons).toEqual(expect.arrayContaining([expect.stringContaining('not compared'), 'same customer']));
  // What is known (the cart, the currency), not a made-up certainty about the address.
  expect(answer.similarity).toBe(0.7);
});

it('compares a hundred ordinary addresses of one cart within the budget: another address is placed', async () => {
  const customerId = 'budget-many';
  for (let house = 1; house <= 100; house += 1)
    await createOrder(fixture.server, { customerId }, newKey(), input(address('', `${house} Baker Street`), 'API'));
  const answer = await createOrder(fixture.server, { customerId }, newKey(), input(address('', '101 Baker Street')));
  expect(answer.__typename).toBe('OrderCreated');
  const held = await createOrder(fixture.server, { customerId }, newKey(), input(address('', '7 Baker St')));
  expect(held.__typename).toBe('PossibleDuplicate');
});
