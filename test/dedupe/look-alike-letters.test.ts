import { compareAddresses } from '../../src/dedupe/address-comparison';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * A letter of another alphabet that looks the same, typed inside a word after a keyboard switch
 * ("Hаuptstraße" with a Cyrillic а, "Xopoшaя" with Latin x, o, p, a) or as a house number's
 * letter ("12а" on a Russian keyboard, "д. 12a" on a Latin one), is the letter the rest of the
 * word (or of the field) is written in. Found from outside (beyond the tuned locales): such a
 * letter in a house number made the resend another number, and a word with several of them
 * another street.
 */
const address = (country: string, line1: string, postalCode = '12345', city = 'X'): ShippingAddress => ({
  name: null,
  line1,
  city,
  postalCode,
  country,
});

describe('letters that look alike in Latin, Cyrillic and Greek', () => {
  it.each([
    ['a Cyrillic а as a house number letter in a Latin line', address('GB', '12a Elm Rd'), address('GB', '12а Elm Rd')],
    [
      'a Latin a as a house number letter in a Cyrillic line',
      address('RU', 'ул. Ленина, д. 12а'),
      address('RU', 'ул. Ленина, д. 12a'),
    ],
    [
      'four Latin letters inside a Cyrillic street name',
      address('RU', 'ул. Хорошая, д. 12'),
      address('RU', 'ул. Xopoшaя, д. 12'),
    ],
    ['a Cyrillic а inside a German word', address('DE', 'Hauptstraße 5'), address('DE', 'Hаuptstraße 5')],
    ['a Greek omicron inside an English word', address('GB', '4 Oak Street'), address('GB', '4 Οak Street')],
    ['Cyrillic letters in a postcode', address('GB', '4 Elm Rd', 'LS1 4AP'), address('GB', '4 Elm Rd', 'LS1 4АР')],
  ])('%s: the same address, typed identically', (_label, a, b) => {
    expect(compareAddresses(a, b)).toMatchObject({ alike: true, identical: true });
  });

  it.each([
    ['another house letter (Cyrillic в is v, not b)', address('GB', '12b Elm Rd'), address('GB', '12в Elm Rd')],
    [
      'another street with Latin letters inside',
      address('RU', 'ул. Хорошая, д. 12'),
      address('RU', 'ул. Xудoжникoв, д. 12'),
    ],
    [
      'another house letter in a Cyrillic line',
      address('RU', 'ул. Ленина, д. 12а'),
      address('RU', 'ул. Ленина, д. 12б'),
    ],
  ])('%s: another address', (_label, a, b) => {
    expect(compareAddresses(a, b).alike).toBe(false);
  });

  it('leaves a whole field in another alphabet to the reading across scripts', () => {
    const moscow = { ...address('RU', 'ул. Ленина, д. 5'), city: 'Москва' };
    expect(compareAddresses(moscow, { ...moscow, line1: 'ul. Lenina, d. 5', city: 'Moskva' }).alike).toBe(true);
    expect(compareAddresses(moscow, { ...moscow, line1: 'ul. Pushkina, d. 5', city: 'Moskva' }).alike).toBe(false);
  });
});
