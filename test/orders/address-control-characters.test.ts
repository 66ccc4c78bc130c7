import { parseShippingAddress } from '../../src/orders/order-request';
import type { ShippingAddress } from '../../src/dedupe/shipping-address';

/**
 * An address is printed on a label, shown to a courier and to the people who review a held order:
 * a character that rings a terminal's bell, recolours a log line, breaks a line in the middle of a
 * field or reorders what is displayed around it is not part of any address, and is refused with the
 * field named. The invisible marks that real text needs (joiners in Persian and Indic words,
 * left-to-right and right-to-left marks, no-break spaces) are kept.
 */
const address: ShippingAddress = {
  name: 'Ada Lovelace',
  line1: '4 Baker Street',
  line2: 'Flat 12',
  city: 'London',
  region: 'Greater London',
  postalCode: 'NW1 6XE',
  country: 'GB',
};

describe('an address field with a control character', () => {
  it.each([
    ['a bell', 'line1', '4 Baker\u0007 Street', 'U+0007'],
    ['an ANSI escape sequence', 'name', '\u001b[31mAda\u001b[0m', 'U+001B'],
    ['a line break inside the line', 'line1', '4 Baker Street\nFlat 12', 'U+000A'],
    ['a carriage return', 'city', 'Lon\rdon', 'U+000D'],
    ['a tab', 'line2', 'Flat\t12', 'U+0009'],
    ['DEL', 'region', 'Greater\u007fLondon', 'U+007F'],
    ['a C1 control (NEL)', 'line1', '4 Baker\u0085Street', 'U+0085'],
    ['a C1 control (CSI)', 'name', 'Ada\u009b31m', 'U+009B'],
    ['a line separator', 'line1', '4 Baker\u2028Street', 'U+2028'],
    ['a paragraph separator', 'line2', 'Flat\u202912', 'U+2029'],
    ['a right-to-left override', 'line1', '4 Baker \u202eteertS', 'U+202E'],
    ['a left-to-right override', 'name', '\u202dAda', 'U+202D'],
    ['a right-to-left embedding', 'city', '\u202bLondon\u202c', 'U+202B'],
    ['a pop directional formatting', 'city', 'London\u202c', 'U+202C'],
    ['a first-strong isolate', 'postalCode', '\u2068NW1 6XE\u2069', 'U+2068'],
    ['a pop directional isolate', 'line2', 'Flat 12\u2069', 'U+2069'],
    ['a NUL', 'line1', '4 Baker\u0000Street', 'U+0000'],
  ] as const)('refuses %s, naming the field and the character', (_label, field, value, code) => {
    const parsed = parseShippingAddress({ ...address, [field]: value });
    expect(parsed).toEqual({ field, message: expect.stringContaining(code) });
  });

  it.each([
    ['a zero-width non-joiner inside a Persian word', 'line1', 'خیابان می\u200cرود 5'],
    ['a zero-width joiner inside a Devanagari word', 'line1', '12 गांधी मार्\u200dग'],
    ['an emoji joined by zero-width joiners', 'line2', '👨‍👩‍👧'],
    ['right-to-left and left-to-right marks', 'line1', 'הרצל\u200f 12\u200e'],
    ['an Arabic letter mark', 'city', 'القاهرة\u061c'],
    ['no-break spaces', 'line1', '4\u00a0Baker\u202fStreet'],
    ['a soft hyphen', 'city', 'Lon\u00addon'],
  ] as const)('keeps %s', (_label, field, value) => {
    const parsed = parseShippingAddress({ ...address, [field]: value });
    expect(parsed).toEqual({ ...address, [field]: value });
  });

  it.each([
    ['a zero-width space', '\u200b'],
    ['a left-to-right mark', '\u200e'],
    ['joiners', '\u200d\u200c'],
    ['a soft hyphen', '\u00ad'],
    ['a word joiner', '\u2060'],
    ['a combining accent on nothing', '\u0301'],
    ['a Hangul filler', '\u3164'],
    ['a Hangul choseong filler', '\u115f'],
    ['a Braille blank', '\u2800'],
    ['a Mongolian vowel separator and spaces', ' \u180e '],
  ])('reads a field of nothing visible (%s) as blank: required, or left out', (_label, value) => {
    expect(parseShippingAddress({ ...address, line1: value })).toEqual({
      field: 'line1',
      message: 'This field is required.',
    });
    expect(parseShippingAddress({ ...address, line2: value })).toEqual({ ...address, line2: undefined });
  });

  it('still trims the spaces and line breaks around a field', () => {
    expect(parseShippingAddress({ ...address, line1: '\n 4 Baker Street\t\r\n' })).toEqual(address);
  });
});
