import { compareAddresses } from '../../src/dedupe/address-comparison';
import { joinCompoundNumbers, numberWord } from '../../src/dedupe/number-words';
import { compareNames } from '../../src/dedupe/person-name';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * Look-alikes an outside walkthrough of the live createOrder path found (2026-12-03), each rule
 * both ways; through the server in hard-look-alikes.live.test.ts.
 */
const address = (country: string, line1: string, line2: string | null = null): ShippingAddress => ({
  line1,
  line2,
  city: 'Springfield',
  postalCode: '62701',
  country,
});
const alike = (country: string, a: [string, string?], b: [string, string?]) =>
  compareAddresses(address(country, ...a), address(country, ...b)).alike;

describe('a flat marked "#" is a flat', () => {
  it.each([
    [['12 Main St #4'], ['4 Main St #12']],
    [['12 Main St # 4'], ['4 Main St # 12']],
    [
      ['12 Main St', '#4'],
      ['4 Main St', '#12'],
    ],
    [['12 Main St #4'], ['12 Main St #5']],
  ] as [[string, string?], [string, string?]][])('%j / %j: another delivery point', (a, b) => {
    expect(alike('US', a, b)).toBe(false);
  });

  it.each([
    [['12 Main St #4'], ['12 Main Street', 'Apt 4']],
    [['12 Main St Apt #4'], ['12 Main St Apt 4']],
    [['12 Main St', '#4'], ['12 Main St #4']],
    // Opening the line, "#" numbers the house.
    [['#12 Main St'], ['12 Main Street']],
  ] as [[string, string?], [string, string?]][])('%j / %j: the same one typed again', (a, b) => {
    expect(alike('US', a, b)).toBe(true);
  });
});

describe('two numbers around a slash are a flat and its house where the country writes them so', () => {
  it('reads "4/12" as flat 4 at no. 12 in Australia and New Zealand, and "12/4" as no. 12, flat 4 in Poland', () => {
    expect(alike('AU', ['4/12 Smith Street'], ['12/4 Smith Street'])).toBe(false);
    expect(alike('AU', ['4/12 Smith Street'], ['Unit 4, 12 Smith St'])).toBe(true);
    expect(alike('NZ', ['4/12 Smith Street'], ['Flat 4, 12 Smith Street'])).toBe(true);
    expect(alike('PL', ['ul. Długa 12/4'], ['ul. Długa 4/12'])).toBe(false);
    expect(alike('PL', ['ul. Długa 12/4'], ['ul. Długa 12 m. 4'])).toBe(true);
  });

  it('leaves them as they were elsewhere (a Russian corner building "12/4" is one house number)', () => {
    expect(alike('RU', ['ул. Ленина, д. 12/4'], ['ул. Ленина, д. 12/4'])).toBe(true);
    expect(alike('DE', ['Hauptstraße 12/4'], ['Hauptstraße 12/4'])).toBe(true);
  });
});

describe('English compound numbers written as words are their digits', () => {
  it('reads tens and units written apart, with a hyphen or glued', () => {
    expect(joinCompoundNumbers(['300', 'twenty', 'third', 'street'])).toEqual(['300', 'twentythird', 'street']);
    expect(numberWord('twentythird')).toBe('23');
    expect(numberWord('thirtyfour')).toBe('34');
    expect(numberWord('fortieth')).toBe('40');
    expect(numberWord('ninety')).toBe('90');
    // A tens ordinal takes no unit after it; a unit alone stays itself.
    expect(joinCompoundNumbers(['twentieth', 'third'])).toEqual(['twentieth', 'third']);
    expect(numberWord('twentysomething')).toBeNull();
  });

  it.each([
    ['300 Twenty-Third Street', '300 23rd Street', true],
    ['300 Twenty Third Street', '300 23rd St', true],
    ['300 Twentythird Street', '300 23rd Street', true],
    ['12 West Thirty-Fourth Street', '12 W 34th St', true],
    ['300 Twenty-Third Street', '300 24th Street', false],
    ['300 Twenty-Third Street', '300 20th Street', false],
  ])('%s / %s: alike %s', (a, b, expected) => {
    expect(alike('US', [a], [b])).toBe(expected);
  });
});

describe('initials stand for given names', () => {
  it.each([
    ['J. Smith', 'K. Smith'],
    ['J Smith', 'K Smith'],
    ['A. B. Smith', 'A. C. Smith'],
    ['S. Smith', 'Kate Smith'],
  ])('%s / %s: two people', (a, b) => {
    expect(compareNames(a, b).compatible).toBe(false);
  });

  it.each([
    ['J. Smith', 'John Smith'],
    ['Smith, J.', 'J. Smith'],
    ['Smith', 'K. Smith'],
    ['J. Smith', 'Jane Smyth'],
    ['A. B. Smith', 'Anna Smith'],
  ])('%s / %s: may be one', (a, b) => {
    expect(compareNames(a, b).compatible).toBe(true);
  });
});

describe('forms of address that say a man and a woman', () => {
  it.each([
    ['Mr Smith', 'Mrs Smith'],
    ['Mr. J. Smith', 'Ms. J. Smith'],
    ['Herr Müller', 'Frau Müller'],
    ['Monsieur Dupont', 'Mme Dupont'],
  ])('%s / %s: two people', (a, b) => {
    expect(compareNames(a, b).compatible).toBe(false);
  });

  it.each([
    ['Mr Smith', 'John Smith'],
    ['Mrs Smith', 'Mrs. Smith'],
    ['Dr Smith', 'Mrs Smith'],
    ['Ms Ada Lovelace', 'Ada Lovelace'],
  ])('%s / %s: may be one', (a, b) => {
    expect(compareNames(a, b).compatible).toBe(true);
  });
});

describe('numbers in their roles without a unit word (second walkthrough, 2026-12-04)', () => {
  it.each([
    ['US', ['12-4 Main St'], ['4-12 Main St']],
    ['GB', ['12 Main Street', '4'], ['4 Main Street', '12']],
    ['GB', ['4/12 Main Street'], ['12/4 Main Street']],
    ['RU', ['ул. Ленина 4-12'], ['ул. Ленина 12-4']],
    ['US', ['12 Main St Apt 4'], ['4 Main St', '12']],
    ['JP', ['丸の内1丁目2番3号'], ['丸の内2丁目1番3号']],
  ] as [string, [string, string?], [string, string?]][])(
    '%s %j / %j: the same numbers in other places, another delivery point',
    (country, a, b) => {
      expect(alike(country, a, b)).toBe(false);
    },
  );

  it.each([
    ['US', ['12 Main St', '4'], ['4, 12 Main St']],
    ['US', ['12 Main St', 'Apt 4'], ['12 Main St', '4']],
    ['US', ['12 Main St, 4'], ['12 Main St 4']],
    ['DE', ['Hauptstraße, 12'], ['Hauptstraße 12']],
    ['GB', ['81, A Featherstone Pl.'], ['81A Featherstone Pl.']],
    ['RU', ['ул. Ленина 4-12'], ['ул. Ленина, д. 4, кв. 12']],
  ] as [string, [string, string?], [string, string?]][])('%s %j / %j: the same one typed again', (country, a, b) => {
    expect(alike(country, a, b)).toBe(true);
  });
});

describe('two street types abbreviated at the end of the street (second walkthrough, 2026-12-04)', () => {
  it.each([
    ['GB', '221B Baker Rd', '221B Baker St', false],
    ['GB', '12 Church Rd', '12 Church St', false],
    ['US', '12 Maple Ct', '12 Maple Cir', false],
    ['GB', '12 Church Rd', '12 Church Road', true],
    ['US', '12 Maple Ct', '12 Maple Court', true],
    ['GB', '12 St John Rd', '12 Saint John Road', true],
  ])('%s %s / %s: alike %s', (country, a, b, expected) => {
    expect(alike(country, [a], [b])).toBe(expected);
  });
});

describe('generational suffixes on both names (second walkthrough, 2026-12-04)', () => {
  it.each([
    ['John Smith Sr.', 'John Smith Jr.', false],
    ['John Smith II', 'John Smith III', false],
    ['John Smith Jr.', 'JOHN SMITH JR', true],
    // On one side only it says nothing: dropped as often as written, so the hold stands.
    ['Alex Taylor', 'Alex Taylor Jr.', true],
    ['Sr. Juan García', 'Juan García', true],
  ])('%s / %s: compatible %s', (a, b, expected) => {
    expect(compareNames(a, b).compatible).toBe(expected);
  });
});

describe('ordinals as words and as digits beyond English (second walkthrough, 2026-12-04)', () => {
  it.each([
    ['RU', 'Вторая Тверская-Ямская ул., 10', '2-я Тверская-Ямская ул., 10', true],
    ['RU', 'Первая Парковая ул., 3', '1-я Парковая ул., 3', true],
    ['FR', '12 Deuxième Avenue', '12 2e Avenue', true],
    ['DE', 'Zweite Straße 4', '2. Straße 4', true],
    ['ES', 'Calle Tercera 4', 'Calle 3ª 4', true],
    ['IT', 'Via Quarta 4', 'Via 4ª 4', true],
    ['RU', '2-я Тверская-Ямская ул., 10', '3-я Тверская-Ямская ул., 10', false],
    ['DE', 'Zweite Straße 4', 'Dritte Straße 4', false],
    // A house letter stays the house's.
    ['RU', 'ул. Ленина 12а', 'ул. Ленина 12б', false],
  ])('%s %s / %s: alike %s', (country, a, b, expected) => {
    expect(alike(country, [a], [b])).toBe(expected);
  });
});
