import type { ShippingAddressInput } from '../operations/generated';
import { seedProducts } from '../support/catalog';
import { secondOrderOf } from '../support/look-alike-orders';
import { withTestServer } from '../support/test-server-fixture';

/**
 * An outside tester's pairs (2026-12-05, third round) through the live createOrder path (HOLD):
 * two kinds of street with a locality on line 2 (address-comparison.ts), and kinds of street and
 * delivery the vocabulary did not know (address-vocabulary.ts). A retyping is held; another
 * street is created.
 */
const fixture = withTestServer('street-kinds');

beforeAll(async () => {
  await seedProducts(fixture.db.url, [{ sku: 'KIND-TEA', priceCents: 450, stock: 100_000 }]);
});

const secondOrder = secondOrderOf(fixture, 'KIND-TEA');

const at = (country: string, line1: string, line2: string | null, city: string, postalCode: string) =>
  ({ name: 'Ada Lovelace', line1, line2, city, postalCode, country }) as ShippingAddressInput;

describe('kinds of street through the live createOrder', () => {
  it.each([
    [
      'Baker Street and Baker Road, Marylebone on line 2',
      at('GB', '221B Baker Street', 'Marylebone', 'London', 'NW1 6XE'),
      at('GB', '221B Baker Road', 'Marylebone', 'London', 'NW1 6XE'),
    ],
    [
      'Main Street and Main Avenue, Brooklyn on line 2',
      at('US', '12 Main Street', 'Brooklyn', 'New York', '11201'),
      at('US', '12 Main Avenue', 'Brooklyn', 'New York', '11201'),
    ],
    [
      'a Turkish cadde and sokak, the district on line 2',
      at('TR', 'Cumhuriyet Cad. No:12', 'Kadıköy', 'İstanbul', '34710'),
      at('TR', 'Cumhuriyet Sk. No:12', 'Kadıköy', 'İstanbul', '34710'),
    ],
    [
      'a Brazilian avenida and rua',
      at('BR', 'Av. Brasil, 1500', 'Casa 2', 'Rio de Janeiro', '20940-070'),
      at('BR', 'Rua Brasil, 1500', 'Casa 2', 'Rio de Janeiro', '20940-070'),
    ],
    [
      'an Italian piazza contracted and a via',
      at('IT', 'P.zza della Repubblica 3', null, 'Firenze', '50123'),
      at('IT', 'Via della Repubblica 3', null, 'Firenze', '50123'),
    ],
    [
      'a rural route and a highway contract route',
      at('US', 'RR 2 Box 45', null, 'Austin', '78701'),
      at('US', 'HC 2 Box 45', null, 'Austin', '78701'),
    ],
  ])('%s: created', async (_case, first, second) => {
    expect(await secondOrder(first, second)).toEqual(['OrderCreated', 2]);
  });

  it.each([
    [
      'Baker Street abbreviated, Marylebone on line 2',
      at('GB', '221B Baker Street', 'Marylebone', 'London', 'NW1 6XE'),
      at('GB', '221B Baker St.', 'Marylebone', 'London', 'NW1 6XE'),
    ],
    [
      'a Turkish cadde written out, the district on line 2',
      at('TR', 'Cumhuriyet Cad. No:12', 'Kadıköy', 'İstanbul', '34710'),
      at('TR', 'Cumhuriyet Caddesi No 12', 'Kadikoy', 'Istanbul', '34710'),
    ],
    [
      'rua abbreviated',
      at('PT', 'Rua Augusta, 100', null, 'Lisboa', '1100-053'),
      at('PT', 'R. Augusta 100', null, 'Lisboa', '1100-053'),
    ],
    [
      'piazza contracted and written out',
      at('IT', 'P.zza della Repubblica 3', null, 'Firenze', '50123'),
      at('IT', 'Piazza della Repubblica 3', null, 'Firenze', '50123'),
    ],
  ])('%s: held', async (_case, first, second) => {
    expect(await secondOrder(first, second)).toEqual(['PossibleDuplicate', 1]);
  });
});
