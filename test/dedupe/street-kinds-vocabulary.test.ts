import { alikeAddresses, cityAddress } from '../support/look-alike-addresses';

/**
 * Kinds of street and of delivery the vocabulary did not know, each both ways (address-vocabulary.ts,
 * delivery-routes.ts, street-tokens.ts, address-comparison.ts): found by an outside tester's third
 * round (2026-12-05), where each look-alike was held as the same street, read by its name alone.
 */
const address = cityAddress;
const alike = alikeAddresses;

describe('kinds of street the vocabulary knows since the third outside round', () => {
  it.each([
    [
      'a Brazilian avenida and rua',
      address('Av. Brasil, 1500', 'Rio de Janeiro', 'BR'),
      address('Rua Brasil, 1500', 'Rio de Janeiro', 'BR'),
    ],
    [
      'an Italian piazza contracted and a via',
      address('P.zza della Repubblica 3', 'Firenze', 'IT'),
      address('Via della Repubblica 3', 'Firenze', 'IT'),
    ],
    ['a viale and a via', address('V.le Europa 3', 'Roma', 'IT'), address('Via Europa 3', 'Roma', 'IT')],
    [
      'a Peruvian jirón and an avenida',
      address('Jr. de la Unión 456', 'Lima', 'PE'),
      address('Av. de la Unión 456', 'Lima', 'PE'),
    ],
    [
      'an Indonesian jalan and gang',
      address('Jl. Mawar No. 7', 'Jakarta', 'ID'),
      address('Gg. Mawar No. 7', 'Jakarta', 'ID'),
    ],
    [
      'a rural route and a highway contract route',
      address('RR 2 Box 45', 'Austin', 'US'),
      address('HC 2 Box 45', 'Austin', 'US'),
    ],
    [
      'a rural route and a postal service center',
      address('RR 2 Box 45', 'Austin', 'US'),
      address('PSC 2 Box 45', 'Austin', 'US'),
    ],
    ['a Polish ulica and aleja', address('ul. Długa 5', 'Kraków', 'PL'), address('al. Długa 5', 'Kraków', 'PL')],
  ])('%s: two streets', (_, a, b) => {
    expect(alike(a, b)).toBe(false);
  });

  it.each([
    ['rua abbreviated', address('Rua Augusta, 100', 'Lisboa', 'PT'), address('R. Augusta 100', 'Lisboa', 'PT')],
    [
      'piazza contracted and abbreviated',
      address('P.zza della Repubblica 3', 'Firenze', 'IT'),
      address('Piazza della Repubblica 3', 'Firenze', 'IT'),
    ],
    ['viale contracted', address('V.le Europa 3', 'Roma', 'IT'), address('Viale Europa 3', 'Roma', 'IT')],
    ['jirón abbreviated', address('Jr. de la Unión 456', 'Lima', 'PE'), address('Jirón de la Unión 456', 'Lima', 'PE')],
    ['jalan abbreviated', address('Jl. Mawar No. 7', 'Jakarta', 'ID'), address('Jalan Mawar No. 7', 'Jakarta', 'ID')],
    ['gang abbreviated', address('Gg. Mawar No. 7', 'Jakarta', 'ID'), address('Gang Mawar No. 7', 'Jakarta', 'ID')],
    [
      'a rural route written out',
      address('RR 2 Box 45', 'Austin', 'US'),
      address('Rural Route 2 Box 45', 'Austin', 'US'),
    ],
    [
      'a highway contract route written out',
      address('HC 2 Box 45', 'Austin', 'US'),
      address('Highway Contract 2 Box 45', 'Austin', 'US'),
    ],
    ['an initial before a name', address('Via G.Rossi 3', 'Roma', 'IT'), address('Via G. Rossi 3', 'Roma', 'IT')],
    [
      'a two-letter type with a slip of a neighbouring key',
      address('pl. Wolak 262', 'Solec Kujawski', 'PL'),
      address('po. Wolaak 262', 'Solec Kujawski', 'PL'),
    ],
    ['a Polish ulica left out', address('ul. Długa 5', 'Kraków', 'PL'), address('Długa 5', 'Kraków', 'PL')],
    ['a Polish ulica written out', address('ul. Długa 5', 'Kraków', 'PL'), address('ulica Długa 5', 'Kraków', 'PL')],
  ])('%s: one street', (_, a, b) => {
    expect(alike(a, b)).toBe(true);
  });
});
