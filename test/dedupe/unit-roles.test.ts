import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * Units named by the same words are compared word by word: building 101, flat 202 ("101동 202호")
 * is not building 202, flat 101, as flat 12 at no. 4 is not flat 4 at no. 12. Found from outside
 * (2026-12-05), where the swap was held as the same flat. Both ways.
 */
const address = (country: string, line1: string, line2?: string): ShippingAddress => ({
  line1,
  line2,
  city: 'Springfield',
  postalCode: '62701',
  country,
});
const alike = (country: string, a: [string, string?], b: [string, string?]) =>
  compareAddresses(address(country, ...a), address(country, ...b)).alike;

describe('units named by the same words keep their roles', () => {
  it.each([
    ['KR', ['강남대로 10, 래미안아파트 101동 202호'], ['강남대로 10, 래미안아파트 202동 101호']],
    ['KR', ['101동 202호 강남대로 10'], ['202동 101호 강남대로 10']],
    ['US', ['12 Main Street, Building 3, Apt 12'], ['12 Main Street, Building 12, Apt 3']],
    ['US', ['12 Main Street', 'Bldg 3 Apt 12'], ['12 Main Street', 'Bldg 12 Apt 3']],
    ['RU', ['ул. Ленина, д. 5, корп. 2, кв. 15'], ['ул. Ленина, д. 5, корп. 15, кв. 2']],
  ] as [string, [string, string?], [string, string?]][])('%s: %j / %j: two flats', (country, a, b) => {
    expect(alike(country, a, b)).toBe(false);
  });

  it.each([
    ['KR', ['강남대로 10, 래미안아파트 101동 202호'], ['강남대로 10 래미안아파트 101 동 202 호']],
    ['US', ['12 Main Street, Apt 4, Floor 2'], ['12 Main Street, Floor 2, Apt 4']],
    ['US', ['12 Main Street, Apt 4B, Bldg 2'], ['12 Main Street', 'Bldg 2, Apt 4B']],
    ['US', ['12 Main Street, Apt 4'], ['12 Main Street, Flat 4']],
    ['US', ['12 Main Street, Building 3, Apt 12'], ['12 Main Street, Bldg 3, Apartment 12']],
    ['RU', ['ул. Ленина, д. 5, корп. 2, кв. 15'], ['ул. Ленина 5, корпус 2, квартира 15']],
  ] as [string, [string, string?], [string, string?]][])('%s: %j / %j: one flat', (country, a, b) => {
    expect(alike(country, a, b)).toBe(true);
  });
});
