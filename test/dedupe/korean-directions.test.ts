import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * Korean streets that differ only in the direction that opens them, east (동) among them:
 * 동대문로 / 서대문로 are the east and west gates' roads. Found from outside (2026-12-05), where
 * the two were held as one street. Both ways.
 */
const address = (line1: string): ShippingAddress => ({ line1, city: '서울', postalCode: '02000', country: 'KR' });
const alike = (a: string, b: string) => compareAddresses(address(a), address(b)).alike;

describe('a Korean street opened by another direction', () => {
  it.each([
    ['동대문로 10', '서대문로 10'],
    ['동해로 10', '남해로 10'],
    ['남부순환로 10', '북부순환로 10'],
  ])('%s / %s: two streets', (a, b) => {
    expect(alike(a, b)).toBe(false);
  });

  it.each([
    ['동대문로 10', '동대문 로 10'],
    ['동대문로 10', '동대문로10'],
    ['동작대로 10', '동작대로 10번지'],
  ])('%s / %s: one street', (a, b) => {
    expect(alike(a, b)).toBe(true);
  });
});
