import type { ShippingAddressInput } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { secondOrderOf } from '../support/look-alike-orders';
import { withTestServer } from '../support/test-server-fixture';

/**
 * The outside tester's third-round pairs (2026-12-05, countries beyond the evaluated locales) through
 * the live createOrder: a retyping is held, its look-alike created. The rules and more pairs both
 * ways: outside-forms-of-one-part.test.ts.
 */
const fixture = withTestServer('outside-forms-of-one-part');

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'FORMS-TEA', priceCents: 450, stock: 100_000 }]);
});

const secondOrder = secondOrderOf(fixture, 'FORMS-TEA');
const oak: ShippingAddressInput = {
  name: 'John Miller',
  line1: '12 1/2 Oak Street',
  city: 'Springfield',
  postalCode: '62704',
  country: 'US',
};
const box: ShippingAddressInput = {
  name: 'Karen White',
  line1: 'PO Box 123',
  city: 'Austin',
  postalCode: '78701',
  country: 'US',
};
const acme: ShippingAddressInput = {
  name: 'Jane Doe',
  line1: 'c/o Acme Corp',
  line2: '500 Market St Ste 300',
  city: 'San Francisco',
  postalCode: '94105',
  country: 'US',
};
const nairobi: ShippingAddressInput = {
  name: 'Wanjiru Kamau',
  line1: 'Ngong Road, Apartment 4B',
  line2: 'Kilimani',
  city: 'Nairobi',
  postalCode: '00100',
  country: 'KE',
};
const erf: ShippingAddressInput = {
  name: 'Johan van der Merwe',
  line1: 'Erf 567, 12 Kerk Street',
  city: 'Stellenbosch',
  postalCode: '7600',
  country: 'ZA',
};
const block: ShippingAddressInput = {
  name: 'Tan Wei Ming',
  line1: 'Blk 123 Ang Mo Kio Ave 3',
  line2: '#05-67',
  city: 'Singapore',
  postalCode: '560123',
  country: 'SG',
};
const cdmx: ShippingAddressInput = {
  name: 'Luis Hernández',
  line1: 'Av. Insurgentes Sur 1234 Int. 5',
  line2: 'Col. Del Valle',
  city: 'Ciudad de México',
  postalCode: '03100',
  country: 'MX',
};

describe('createOrder holds a retyping in another form of one part (outside probe, third round)', () => {
  it.each([
    ['a half as ½', oak, { ...oak, line1: '12½ Oak St' }],
    ['POB', box, { ...box, line1: 'POB 123' }],
    ['Post Office Box', box, { ...box, line1: 'Post Office Box 123' }],
    ['a care-of line dropped', acme, { ...acme, line1: '500 Market St, Suite 300', line2: null }],
    ['a postcode without its leading zeros', nairobi, { ...nairobi, postalCode: '100' }],
    ['an erf after the street', erf, { ...erf, line1: '12 Kerk St, Erf 567' }],
    [
      'a Singapore block and unit on one line',
      block,
      { ...block, line1: '123 Ang Mo Kio Avenue 3 #05-67', line2: null },
    ],
    ['CDMX', cdmx, { ...cdmx, city: 'CDMX' }],
    [
      'the interior number moved to line 1',
      cdmx,
      { ...cdmx, line1: 'Int. 5', line2: 'Av. Insurgentes Sur 1234, Col. del Valle', city: 'México, D.F.' },
    ],
  ])('%s', async (_, first, second) => {
    expect(await secondOrder(first, second)).toEqual(['PossibleDuplicate', 1]);
  });
});

describe('createOrder creates the look-alike of each', () => {
  it.each([
    ['no half', oak, { ...oak, line1: '12 Oak St' }],
    ['another box', box, { ...box, line1: 'POB 132' }],
    ['Box Street', box, { ...box, line1: '123 Box Street' }],
    ['another receiver in care', acme, { ...acme, line1: 'c/o Beta Inc' }],
    ['another postcode without its zeros', nairobi, { ...nairobi, postalCode: '101' }],
    ['erf and street number swapped', erf, { ...erf, line1: '12 Kerk St, Erf 576' }],
    ['another floor', block, { ...block, line1: '123 Ang Mo Kio Avenue 3 #06-67', line2: null }],
    ['another city', cdmx, { ...cdmx, city: 'Guadalajara' }],
    ['interior and outside numbers swapped', cdmx, { ...cdmx, line1: 'Int. 1234', line2: 'Av. Insurgentes Sur 5' }],
  ])('%s', async (_, first, second) => {
    expect(await secondOrder(first, second)).toEqual(['OrderCreated', 2]);
  });
});
