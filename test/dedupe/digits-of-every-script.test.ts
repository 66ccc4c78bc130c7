import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * A house number or a postcode typed with the digits of another script is the same number: "௫",
 * "૧૨", "၁၂" and "១២" are 5, 12, 12 and 12 as surely as "١٢" and "१२" are. Found from outside
 * (beyond the 11 tuned locales): Tamil, Gujarati, Myanmar and Khmer digits read as letters, so a
 * resend with them was a new order; a postcode in Devanagari or fullwidth digits folded to nothing,
 * "not given", so that another postcode was no difference at all.
 */
const address = (country: string, line1: string, city: string, postalCode: string): ShippingAddress => ({
  name: null,
  line1,
  city,
  postalCode,
  country,
});

describe('digits of every script', () => {
  it.each([
    ['Tamil', address('IN', '5 காந்தி தெரு', 'சென்னை', '600001'), address('IN', '௫ காந்தி தெரு', 'சென்னை', '600001')],
    ['Gujarati', address('IN', '12 ગાંધી રોડ', 'અમદાવાદ', '380001'), address('IN', '૧૨ ગાંધી રોડ', 'અમદાવાદ', '૩૮૦૦૦૧')],
    [
      'Myanmar',
      address('MM', '12 Bogyoke Road', 'Yangon', '11181'),
      address('MM', '၁၂ Bogyoke Road', 'Yangon', '၁၁၁၈၁'),
    ],
    [
      'Khmer',
      address('KH', '12 Norodom Blvd', 'Phnom Penh', '12000'),
      address('KH', '១២ Norodom Blvd', 'Phnom Penh', '12000'),
    ],
    [
      'Devanagari, postcode',
      address('IN', '12 गांधी मार्ग', 'दिल्ली', '110001'),
      address('IN', '१२ गांधी मार्ग', 'दिल्ली', '११०००१'),
    ],
    [
      'fullwidth, postcode',
      address('DE', 'Hauptstr. 12', 'Berlin', '10115'),
      address('DE', 'Hauptstr. 12', 'Berlin', '１０１１５'),
    ],
  ])('%s digits are the same number', (_script, a, b) => {
    const comparison = compareAddresses(a, b);
    expect(comparison).toMatchObject({ alike: true, differences: [] });
    expect(comparison.notes.join()).not.toMatch(/postcode/);
  });

  it.each([
    [
      'Tamil',
      address('IN', '5 காந்தி தெரு', 'சென்னை', '600001'),
      address('IN', '௬ காந்தி தெரு', 'சென்னை', '600001'),
      'other numbers',
    ],
    [
      'Gujarati',
      address('IN', '12 ગાંધી રોડ', 'અમદાવાદ', '380001'),
      address('IN', '૧૩ ગાંધી રોડ', 'અમદાવાદ', '380001'),
      'other numbers',
    ],
    [
      'Myanmar',
      address('MM', '12 Bogyoke Road', 'Yangon', '11181'),
      address('MM', '၂၁ Bogyoke Road', 'Yangon', '11181'),
      'other numbers',
    ],
    [
      'Devanagari, postcode',
      address('IN', '12 गांधी मार्ग', 'दिल्ली', '110001'),
      address('IN', '12 गांधी मार्ग', 'दिल्ली', '२२०००२'),
      'other postcode',
    ],
    [
      'fullwidth, postcode',
      address('DE', 'Hauptstr. 12', 'Berlin', '10115'),
      address('DE', 'Hauptstr. 12', 'Berlin', '２０２２５'),
    ],
  ])('%s digits of another number are another number', (_script, a, b, difference = 'other postcode') => {
    expect(compareAddresses(a, b).differences).toContain(difference);
  });

  it('a postcode of letters no Latin keyboard types is compared as written, not as "not given"', () => {
    const a = address('ET', 'ቦሌ መንገድ 12', 'አዲስ አበባ', 'ሀ-ለ');
    expect(compareAddresses(a, { ...a, postalCode: 'መ-ሠ' }).differences).toContain('other postcode');
    expect(compareAddresses(a, { ...a, postalCode: 'ሀ ለ' })).toMatchObject({ alike: true, differences: [] });
  });
});
