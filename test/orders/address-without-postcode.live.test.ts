import { randomUUID } from 'node:crypto';
import { seedProducts } from '../support/catalog';
import { post } from '../support/channels';
import { createOrder, newKey } from '../support/order-client';
import { withTestServer } from '../support/test-server-fixture';

/**
 * Where the post uses no postal codes (Hong Kong, the United Arab Emirates, Qatar, …) an address
 * has none to give: its postcode may be empty, at every door. Found from outside: every door
 * refused it ("This field is required."), so a customer there could order only by typing `000`,
 * which the duplicate matcher then compared as a postcode. Elsewhere a postcode is still required.
 */
const fixture = withTestServer('no-postcode');

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'NOPC-1', priceCents: 300, stock: 1_000 }]);
});

const cart = { currency: 'EUR', items: [{ sku: 'NOPC-1', quantity: 1 }] };
const hongKong = {
  name: 'Chan Tai Man',
  line1: 'Flat 12A, 8 Nathan Road',
  city: 'Kowloon',
  postalCode: '',
  country: 'HK',
};

async function storedAddresses(customerId: string): Promise<unknown[]> {
  const rows = await fixture.db.query<{ shippingAddress: unknown }>(
    'SELECT "shippingAddress" FROM "Order" WHERE "customerId" = $1 ORDER BY "createdAt"',
    [customerId],
  );
  return rows.map((row) => row.shippingAddress);
}

describe('an address in a country without postcodes', () => {
  it('is placed with an empty postcode, and the same address under a new key is held as a possible duplicate', async () => {
    const customerId = `no-postcode-${randomUUID()}`;
    const first = await createOrder(fixture.server, { customerId }, newKey(), { ...cart, shippingAddress: hongKong });
    expect(first.__typename).toBe('OrderCreated');
    expect(await storedAddresses(customerId)).toEqual([expect.objectContaining({ postalCode: '', country: 'HK' })]);

    const again = await createOrder(fixture.server, { customerId }, newKey(), {
      ...cart,
      shippingAddress: { ...hongKong, postalCode: '  ', line1: 'Flat 12A 8 Nathan Rd' },
    });
    expect(again.__typename).toBe('PossibleDuplicate');
    const elsewhere = await createOrder(fixture.server, { customerId }, newKey(), {
      ...cart,
      shippingAddress: { ...hongKong, line1: 'Flat 12B, 8 Nathan Road' },
    });
    expect(elsewhere.__typename).toBe('OrderCreated');
  });

  it('is refused without a postcode where the country has them', async () => {
    const customerId = `with-postcode-${randomUUID()}`;
    const answer = await createOrder(fixture.server, { customerId }, newKey(), {
      ...cart,
      shippingAddress: { ...hongKong, city: 'London', country: 'GB' },
    });
    expect(answer).toEqual({
      __typename: 'ValidationFailed',
      field: 'shippingAddress.postalCode',
      message: 'This field is required.',
    });
    expect(await storedAddresses(customerId)).toEqual([]);
  });

  it('is placed through the REST API too', async () => {
    const customerId = `no-postcode-rest-${randomUUID()}`;
    const token = await fixture.server.tokenFor(customerId);
    const dubai = { line1: 'Villa 14, Street 21, Al Wasl', city: 'Dubai', postalCode: '', country: 'AE' };
    const created = await post(
      fixture.server.url,
      '/api/v1/orders',
      JSON.stringify({ ...cart, shippingAddress: dubai }),
      {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'idempotency-key': newKey('rest'),
      },
    );
    expect(created.status).toBe(201);
    expect(await storedAddresses(customerId)).toEqual([expect.objectContaining({ postalCode: '', country: 'AE' })]);
  });
});
