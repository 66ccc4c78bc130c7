import { compareAddresses } from '../../src/dedupe/address-comparison';
import { addressProfile } from '../../src/dedupe/address-profile';
import type { AddressDifference } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

const home: ShippingAddress = {
  name: 'Ada Lovelace',
  line1: '221B Baker Street',
  line2: 'Flat 4',
  city: 'London',
  postalCode: 'NW1 6XE',
  country: 'GB',
};
const munich: ShippingAddress = {
  name: 'Jürgen Müller',
  line1: 'Hauptstraße 12a',
  line2: 'Whg. 3',
  city: 'München',
  postalCode: '80331',
  country: 'DE',
};

/** The same delivery point as `base` with some fields typed again. */
const retyped = (base: ShippingAddress, change: Partial<ShippingAddress>) =>
  compareAddresses(base, { ...base, ...change });
const alike = (base: ShippingAddress, change: Partial<ShippingAddress>) => retyped(base, change).alike;
const differences = (base: ShippingAddress, change: Partial<ShippingAddress>): AddressDifference[] =>
  retyped(base, change).differences;

describe('street comparison', () => {
  it('takes the street as the same when typed alike, and says so', () => {
    expect(retyped(home, {})).toMatchObject({ alike: true, identical: true, similarity: 1, differences: [] });
  });

  it.each([
    ['a letter dropped', '221B Bakr Street'],
    ['a letter doubled', '221B Bakker Street'],
    ['two letters swapped', '221B Baekr Street'],
    ['a neighbouring key', '221B Bajer Street'],
    ['a letter inserted', '221B Bakewr Street'],
    ['two typos in a long name', '221B Bakre Stret'],
  ])('forgives %s (%s)', (_, line1) => {
    expect(retyped(home, { line1 })).toMatchObject({ alike: true, identical: false });
  });

  it.each([
    ['abbreviated', '221B Baker St.'],
    ['in capitals without punctuation', '221B BAKER ST'],
    ['with the space lost', '221B BakerStreet'],
    ['with the type left out', '221B Baker'],
    ['with the flat moved to line 1', 'Flat 4, 221B Baker Street'],
  ])('reads the street %s (%s) as the same', (_, line1) => {
    const line2 = line1.includes('Flat') ? null : home.line2;
    expect(alike(home, { line1, line2 })).toBe(true);
  });

  it('resolves abbreviations both ways, in several languages, and German compounds', () => {
    expect(alike(munich, { line1: 'Hauptstr. 12a' })).toBe(true);
    expect(alike(munich, { line1: 'Hauptstrasse 12 a' })).toBe(true);
    expect(alike(munich, { line1: 'Hauptstrase 12a' })).toBe(true);
    const paris: ShippingAddress = { line1: '12 avenue des Lilas', city: 'Paris', postalCode: '75011', country: 'FR' };
    expect(alike(paris, { line1: '12 av. des Lilas' })).toBe(true);
    const madrid: ShippingAddress = {
      line1: 'Calle Mayor 5, 3º B',
      city: 'Madrid',
      postalCode: '28013',
      country: 'ES',
    };
    expect(alike(madrid, { line1: 'C/ Mayor, 5', line2: 'piso 3 puerta B' })).toBe(true);
    const boston: ShippingAddress = {
      line1: '12 North Main Street',
      line2: 'Apartment 4B',
      city: 'Boston',
      postalCode: '02108',
      country: 'US',
    };
    expect(alike(boston, { line1: '12 N Main St', line2: '#4B' })).toBe(true);
  });

  it('tells another street apart, and two streets of one name with different types', () => {
    expect(differences(home, { line1: '221B Oxford Street' })).toEqual(['other street']);
    expect(differences(home, { line1: '221B Baker Road' })).toEqual(['other street']);
  });

  it('tells two street types apart with a locality on line 2, and holds the type abbreviated', () => {
    const marylebone: ShippingAddress = { ...home, line2: 'Marylebone' };
    expect(differences(marylebone, { line1: '221B Baker Road' })).toEqual(['other street']);
    expect(differences(marylebone, { line1: '221B Baker Rd', line2: null })).toContain('other street');
    expect(differences(marylebone, { line1: 'Marylebone', line2: '221B Baker Road' })).toEqual(['other street']);
    expect(alike(marylebone, { line1: '221B Baker St.' })).toBe(true);
    expect(alike(marylebone, { line1: '221B Baker Street, Marylebone', line2: null })).toBe(true);
    expect(alike(marylebone, { line1: 'Marylebone', line2: '221B Baker St' })).toBe(true);
    expect(alike(marylebone, { line2: 'Flat 4, Marylebone' })).toBe(false);
  });
});

describe('house and flat numbers, compared exactly', () => {
  it('reads the same numbers however they are written', () => {
    expect(alike(home, { line1: '221 B Baker Street', line2: 'Apt. 4' })).toBe(true);
    expect(alike(home, { line1: '221b Baker Street #4', line2: null })).toBe(true);
    expect(alike(munich, { line1: 'Hauptstraße 12 A', line2: 'Wohnung 3' })).toBe(true);
  });

  it.each([
    ['another house number', { line1: '223B Baker Street' }],
    ['another house letter', { line1: '221A Baker Street' }],
    ['another flat', { line2: 'Flat 5' }],
    ['no flat', { line2: null }],
    ['another flat, typed sloppily', { line1: '221B Bakr St', line2: 'Flt 5' }],
  ])('tells %s apart', (_, change) => {
    expect(differences(home, change)).toContain('other numbers');
  });
});

describe('city, postcode and country', () => {
  it('forgives a typo in the city, and more of them when the postcodes agree', () => {
    expect(alike(home, { city: 'Lodnon' })).toBe(true);
    expect(alike(home, { city: 'Lndn' })).toBe(true);
    expect(alike(home, { city: 'Lndn', postalCode: '' })).toBe(false);
    expect(alike(munich, { city: 'Muenchen' })).toBe(true);
    expect(alike(munich, { city: 'Munchen', postalCode: '' })).toBe(true);
  });

  it('tells another city apart', () => {
    expect(differences(home, { city: 'Leeds', postalCode: '' })).toEqual(['other city']);
  });

  it('reads postcodes without spacing, case, a country prefix or the ZIP+4, and forgives one missing or one typo', () => {
    expect(retyped(home, { postalCode: 'nw16xe' })).toMatchObject({ alike: true, identical: true });
    expect(alike(munich, { postalCode: 'D-80331' })).toBe(true);
    expect(alike({ ...munich, postalCode: '02108-1234', country: 'US' }, { postalCode: '02108' })).toBe(true);
    expect(alike(home, { postalCode: '' })).toBe(true);
    expect(alike(munich, { postalCode: '80313' })).toBe(true);
  });

  it('tells another postcode and another country apart', () => {
    expect(differences(munich, { postalCode: '10115' })).toEqual(['other postcode']);
    expect(differences(home, { country: 'IE' })).toEqual(['other country']);
    expect(differences(home, { country: 'uk' })).toEqual([]);
  });
});

describe('recipient name', () => {
  it.each([
    ['in the other order', 'Lovelace, Ada'],
    ['with an initial', 'A. Lovelace'],
    ['with a title', 'Mrs Ada Lovelace'],
    ['with a typo', 'Ada Lovelcae'],
    ['in capitals', 'ADA LOVELACE'],
    ['with the space lost', 'AdaLovelace'],
    ['not given', ''],
  ])('takes the name %s as the same person', (_, name) => {
    expect(alike(home, { name })).toBe(true);
  });

  it('takes a transliterated name for the same person', () => {
    expect(alike(munich, { name: 'Juergen Mueller' })).toBe(true);
    expect(alike(munich, { name: 'MULLER JURGEN' })).toBe(true);
  });

  it('tells a parcel for someone else apart', () => {
    expect(differences(home, { name: 'Charles Babbage' })).toEqual(['other recipient']);
  });
});

describe('a flat written as a bare letter', () => {
  it('tells another letter on its own line apart, and reads the same letter alike', () => {
    const building: ShippingAddress = {
      line1: '12 Mill Road',
      line2: 'B',
      city: 'Leeds',
      postalCode: 'LS1 4AB',
      country: 'GB',
    };
    expect(differences(building, { line2: 'C' })).toEqual(['other numbers']);
    expect(differences(building, { line2: 'E' })).toEqual(['other numbers']);
    expect(alike(building, { line1: '12 Mill Rd, B', line2: null })).toBe(true);
  });
});

describe('address profiles', () => {
  it('builds one profile for addresses of equal text, whoever they are for, and keeps other texts apart', () => {
    const profile = addressProfile({ ...home });
    expect(addressProfile({ ...home, name: 'Charles Babbage' })).toBe(profile);
    expect(addressProfile({ ...home, line2: undefined })).toBe(addressProfile({ ...home, line2: null }));
    expect(addressProfile({ ...home, line2: 'Flat 5' })).not.toBe(profile);
    expect(addressProfile({ ...home, line2: 'Flat 5' }).units).toBe('5');
    expect(addressProfile({ ...home, city: 'Londres' }).city.plain).toBe('londres');
    // Fields are told apart, not run together: the same characters split otherwise are another address.
    expect(addressProfile({ ...home, line1: '221B Baker', line2: 'Street Flat 4' })).not.toBe(profile);
  });
});
