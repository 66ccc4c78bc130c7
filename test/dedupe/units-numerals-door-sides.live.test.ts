import type { ShippingAddressInput } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { secondOrderOf } from '../support/look-alike-orders';
import { withTestServer } from '../support/test-server-fixture';

/**
 * The main pairs of the third outside round (2026-12-05) through the live createOrder path (the
 * default policy, HOLD): a block's letter before a hyphen, a tower's letter, Roman numerals, door
 * sides and numbers in their roles (units-numerals-door-sides.test.ts has them all, both ways).
 */
const fixture = withTestServer('units-numerals-door-sides');

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'UNIT-TEA', priceCents: 450, stock: 100_000 }]);
});

const secondOrder = secondOrderOf(fixture, 'UNIT-TEA');

const vashi: ShippingAddressInput = {
  line1: 'B-204, Sai Darshan',
  city: 'Navi Mumbai',
  postalCode: '400703',
  country: 'IN',
};
const amsterdam: ShippingAddressInput = {
  line1: 'Keizersgracht 12-II',
  city: 'Amsterdam',
  postalCode: '1015 CX',
  country: 'NL',
};
const lisbon: ShippingAddressInput = {
  line1: 'Rua Augusta 100, 2º Esq.',
  city: 'Lisboa',
  postalCode: '1100-053',
  country: 'PT',
};
const bandung: ShippingAddressInput = {
  line1: 'Jl. Merdeka No. 10',
  line2: 'RT 03/RW 05, Kel. Sukamaju',
  city: 'Bandung',
  postalCode: '40115',
  country: 'ID',
};
const istanbul: ShippingAddressInput = {
  line1: 'Atatürk Mah. Cumhuriyet Cad. No:12 D:5',
  line2: 'Kadıköy',
  city: 'İstanbul',
  postalCode: '34710',
  country: 'TR',
};

describe('createOrder holds the same flat, floor and door typed again', () => {
  it.each([
    ['a block letter with and without "Flat"', vashi, { ...vashi, line1: 'Flat B-204, Sai Darshan' }],
    ['a Dutch floor in Arabic numerals', amsterdam, { ...amsterdam, line1: 'Keizersgracht 12-2' }],
    ['a Portuguese door side spelled out', lisbon, { ...lisbon, line1: 'R. Augusta 100 2 esquerdo' }],
    ['Indonesian RT and RW glued', bandung, { ...bandung, line2: 'RT03 RW05, Kel. Sukamaju' }],
    ['a Turkish flat spelled out', istanbul, { ...istanbul, line1: 'Atatürk Mah. Cumhuriyet Cad. No 12 Daire 5' }],
  ])('%s', async (_, first, second) => {
    expect(await secondOrder(first, second)).toEqual(['PossibleDuplicate', 1]);
  });
});

describe('createOrder creates an order for another flat, floor or door', () => {
  it.each([
    ['another wing', vashi, { ...vashi, line1: 'C-204, Sai Darshan' }],
    ['another tower', { ...vashi, line1: 'Flat 402, Tower B' }, { ...vashi, line1: 'Flat 402, Tower C' }],
    ['another Dutch floor', amsterdam, { ...amsterdam, line1: 'Keizersgracht 12-III' }],
    ['another Portuguese door', lisbon, { ...lisbon, line1: 'Rua Augusta 100, 2º Dto.' }],
    ['Indonesian RT and RW swapped', bandung, { ...bandung, line2: 'RT 05/RW 03, Kel. Sukamaju' }],
    [
      'Bangalore cross and main swapped',
      { ...vashi, line1: '12, 3rd Cross, 5th Main', line2: 'Malleshwaram' },
      { ...vashi, line1: '12, 5th Cross, 3rd Main', line2: 'Malleshwaram' },
    ],
  ])('%s', async (_, first, second) => {
    expect(await secondOrder(first, second)).toEqual(['OrderCreated', 2]);
  });
});
