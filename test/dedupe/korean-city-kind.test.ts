import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * A Korean city written with or without its kind ("서울특별시", "서울시", "서울"; "부산광역시",
 * "부산"): one city. Two cities stay two. Found from outside (2026-12-05), both ways.
 */
// No postcode: the city alone tells (a postcode that agrees lets a city typed further apart through).
const address = (city: string): ShippingAddress => ({
  name: '김민수',
  line1: '강남구 테헤란로 123',
  city,
  postalCode: '',
  country: 'KR',
});
const alike = (a: string, b: string) => compareAddresses(address(a), address(b)).alike;

describe('the kind of a Korean city after its name', () => {
  it.each([
    ['서울특별시', '서울'],
    ['서울특별시', '서울시'],
    ['부산광역시', '부산'],
    ['부산광역시', '부산시'],
    ['세종특별자치시', '세종'],
    ['제주특별자치도 제주시', '제주도 제주시'],
    ['수원시', '수원'],
    ['구리시', '구 리시'],
    ['구리시', '구리 시'],
    ['서울특별시', '서울 특별시'],
  ])('%s / %s: one city', (a, b) => {
    expect(alike(a, b)).toBe(true);
  });

  it.each([
    ['서울특별시', '부산광역시'],
    ['서울시', '부산시'],
    ['대구광역시', '대전광역시'],
    ['수원시', '구미시'],
    ['중구', '동구'],
  ])('%s / %s: two cities', (a, b) => {
    expect(alike(a, b)).toBe(false);
  });
});
