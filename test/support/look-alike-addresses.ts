import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/** An address that differs from another only in what a tuning round's test writes (hard-look-alikes-*-round). */
export const lookAlikeAddress = (
  country: string,
  line1: string,
  line2: string | null = null,
  city = 'X',
): ShippingAddress => ({ name: null, line1, line2, city, postalCode: '12345', country });

/** Whether the matcher reads two street lines (same country, flat line, city and postcode) as one delivery point. */
export const sameStreet = (country: string, [a, b]: [string, string], line2: string | null = null): boolean =>
  compareAddresses(lookAlikeAddress(country, a, line2), lookAlikeAddress(country, b, line2)).alike;

/** An address without a postcode, in its city and country (the outside probes' pairs). */
export const cityAddress = (line1: string, city: string, country: string, line2?: string): ShippingAddress => ({
  line1,
  ...(line2 === undefined ? {} : { line2 }),
  city,
  postalCode: '',
  country,
});

/** Whether the matcher reads two addresses as one delivery point. */
export const alikeAddresses = (a: ShippingAddress, b: ShippingAddress): boolean => compareAddresses(a, b).alike;
