import { cartSignature, canonicalLines } from '../../src/dedupe/cart-signature';
import { compareOrders } from '../../src/dedupe/order-matcher';
import type { MatchableOrder } from '../../src/dedupe/order-matcher';
import { parseSemanticDuplicatePolicy } from '../../src/config/semantic-duplicate-policy';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes));
const base: MatchableOrder = {
  customerId: 'c1',
  currency: 'EUR',
  lines: [
    { sku: 'TEA-1', quantity: 2 },
    { sku: 'CUP-9', quantity: 1 },
  ],
  shippingAddress: {
    name: 'Ada Lovelace',
    line1: '221B Baker Street',
    city: 'London',
    postalCode: 'NW1 6XE',
    country: 'GB',
  },
  createdAt: at(0),
};
const compared = (change: Partial<MatchableOrder>, windowMs?: number) =>
  compareOrders(base, { ...base, createdAt: at(4), ...change }, windowMs);

describe('the order matcher', () => {
  it('treats SKU case and spaces, split and reordered lines, and a reformatted address as the same order', () => {
    const match = compared({
      currency: 'eur',
      lines: [
        { sku: 'cup-9 ', quantity: 1 },
        { sku: ' tea-1', quantity: 1 },
        { sku: 'TEA-1', quantity: 1 },
      ],
      shippingAddress: {
        name: 'ADA LOVELACE',
        line1: '221b  Baker St.',
        city: 'LONDON',
        postalCode: 'nw16xe',
        country: 'gb',
      },
    });
    expect(match).toEqual({
      equivalent: true,
      similarity: 1,
      reasons: [
        'same items and quantities',
        'same currency',
        'same shipping address',
        'placed 240 s apart',
        'same customer',
      ],
      differences: [],
    });
  });

  it('holds a re-typed address with typos, saying what it forgave', () => {
    const match = compared({
      shippingAddress: {
        name: 'Lovelace, Ada',
        line1: '221B Bakre Stret',
        city: 'Lodnon',
        postalCode: '',
        country: 'GB',
      },
    });
    expect(match.equivalent).toBe(true);
    expect(match.similarity).toBeLessThan(1);
    expect(match.reasons.find((reason) => reason.startsWith('same shipping address, typed differently'))).toMatch(
      /street typed differently.*city typed differently/,
    );
  });

  it.each([
    [
      'other quantities',
      {
        lines: [
          { sku: 'TEA-1', quantity: 3 },
          { sku: 'CUP-9', quantity: 1 },
        ],
      },
      'other items',
    ],
    ['a line more', { lines: [...base.lines, { sku: 'SPOON-2', quantity: 1 }] }, 'other items'],
    ['another currency', { currency: 'GBP' }, 'other currency'],
    ['another customer (a household member)', { customerId: 'c2' }, 'other customer'],
    ['after the window', { createdAt: at(11) }, 'outside the window'],
    ['no address on one', { shippingAddress: null }, 'address on one only'],
    [
      'another house number, though typed with a typo',
      { shippingAddress: { ...base.shippingAddress!, line1: '223B Bakr Street' } },
      'other numbers',
    ],
  ])('does not match %s', (_, change, difference) => {
    const match = compared(change);
    expect(match.equivalent).toBe(false);
    expect(match.differences).toContain(difference);
  });

  it('takes its window from the caller', () => {
    expect(compared({ createdAt: at(11) }, 15 * 60_000).equivalent).toBe(true);
  });

  it('matches two orders without an address', () => {
    expect(
      compareOrders({ ...base, shippingAddress: null }, { ...base, shippingAddress: null, createdAt: at(1) }),
    ).toMatchObject({
      equivalent: true,
      reasons: expect.arrayContaining(['no shipping address on either']),
    });
  });

  it('scores partial likeness between 0 and 1', () => {
    const match = compared({ lines: [{ sku: 'TEA-1', quantity: 2 }] });
    expect(match.equivalent).toBe(false);
    expect(match.similarity).toBeCloseTo(0.6 * (4 / 5) + 0.3 + 0.1, 3);
    expect(match.reasons).not.toContain('same items and quantities');
  });
});

describe('the cart as a multiset', () => {
  it('merges repeated SKUs and sorts them; the signature ignores line order, splits and SKU case', () => {
    expect(
      canonicalLines([
        { sku: ' b-1', quantity: 1 },
        { sku: 'A-1', quantity: 2 },
        { sku: 'B-1 ', quantity: 2 },
      ]),
    ).toEqual([
      ['A-1', 2],
      ['B-1', 3],
    ]);
    const signature = cartSignature({
      currency: 'eur',
      lines: [
        { sku: 'tea-1', quantity: 1 },
        { sku: 'CUP-9', quantity: 1 },
        { sku: 'TEA-1', quantity: 1 },
      ],
    });
    expect(signature).toBe(cartSignature(base));
    expect(
      cartSignature({
        ...base,
        lines: [
          { sku: 'TEA-1', quantity: 3 },
          { sku: 'CUP-9', quantity: 1 },
        ],
      }),
    ).not.toBe(signature);
    expect(cartSignature({ ...base, currency: 'GBP' })).not.toBe(signature);
  });
});

describe('SEMANTIC_DUPLICATE_POLICY', () => {
  it('reads per-channel pairs over a default', () => {
    expect(parseSemanticDuplicatePolicy('FLAG,WEB:hold, pos:OFF')).toEqual({
      WEB: 'HOLD',
      MOBILE: 'FLAG',
      MARKETPLACE: 'FLAG',
      POS: 'OFF',
      API: 'FLAG',
    });
    expect(parseSemanticDuplicatePolicy('MARKETPLACE:FLAG')).toMatchObject({ WEB: 'HOLD', MARKETPLACE: 'FLAG' });
  });

  it('names the bad part', () => {
    expect(parseSemanticDuplicatePolicy('WEB:BLOCK')).toBe('"WEB:BLOCK": the policy must be HOLD, FLAG or OFF');
    expect(parseSemanticDuplicatePolicy('FAX:HOLD')).toBe(
      '"FAX:HOLD": unknown sales channel FAX (the channels: WEB, MOBILE, MARKETPLACE, POS, API)',
    );
  });
});

describe('the examples of docs/duplicates.md', () => {
  const first: MatchableOrder = {
    customerId: 'ada',
    currency: 'EUR',
    lines: [{ sku: 'TEA-1', quantity: 2 }],
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '221B Baker Street',
      line2: 'Flat 4',
      city: 'London',
      postalCode: 'NW1 6XE',
      country: 'GB',
    },
    createdAt: at(0),
  };
  const second = (change: Partial<MatchableOrder>, address: object = {}) =>
    compareOrders(first, {
      ...first,
      createdAt: at(5),
      ...change,
      shippingAddress: { ...first.shippingAddress!, ...address },
    });

  it.each([
    [
      'abbreviations, unit word, case, postcode spacing',
      {},
      { line1: '221B Baker St.', line2: 'Apt 4', city: 'london', postalCode: 'nw16xe' },
      true,
    ],
    [
      'typos, name order and initial, postcode missing',
      {},
      { line1: 'Flat 4, 221 B Bakr Stret', line2: null, city: 'Lodnon', postalCode: '', name: 'Lovelace, A.' },
      true,
    ],
    ['another flat', {}, { line2: 'Flat 5' }, false],
    ['another house number', {}, { line1: '223B Baker Street' }, false],
    ['no flat', {}, { line2: null }, false],
    ['another street type', {}, { line1: '221B Baker Road' }, false],
    ['other quantities', { lines: [{ sku: 'TEA-1', quantity: 3 }] }, {}, false],
    ["a flatmate's account", { customerId: 'c2' }, {}, false],
    ['a parcel for someone else', {}, { name: 'Charles Babbage' }, false],
    ['11 minutes later', { createdAt: at(11) }, {}, false],
  ])('%s: held %s', (_, change, address, held) => {
    expect(second(change as Partial<MatchableOrder>, address).equivalent).toBe(held);
  });

  it('tells another street type apart also with a locality on line 2 on both sides', () => {
    const withLocality = { ...first, shippingAddress: { ...first.shippingAddress!, line2: 'Flat 4, Marylebone' } };
    const again = (line1: string) =>
      compareOrders(withLocality, {
        ...withLocality,
        createdAt: at(5),
        shippingAddress: { ...withLocality.shippingAddress, line1 },
      }).equivalent;
    expect(again('221B Baker Road')).toBe(false);
    expect(again('221B Baker St.')).toBe(true);
  });

  it('holds the German and Spanish examples', () => {
    const german = {
      ...first,
      shippingAddress: {
        line1: 'Hauptstraße 12a',
        line2: 'Whg. 3',
        city: 'München',
        postalCode: '80331',
        country: 'DE',
      },
    };
    expect(
      compareOrders(german, {
        ...german,
        createdAt: at(5),
        shippingAddress: { line1: 'Hauptstr. 12 A, Wohnung 3', city: 'Muenchen', postalCode: '80331', country: 'DE' },
      }).equivalent,
    ).toBe(true);
    const spanish = {
      ...first,
      shippingAddress: { line1: 'Calle Mayor 5, 3º B', city: 'Madrid', postalCode: '28013', country: 'ES' },
    };
    expect(
      compareOrders(spanish, {
        ...spanish,
        createdAt: at(5),
        shippingAddress: {
          line1: 'C/ Mayor, 5',
          line2: 'piso 3 puerta B',
          city: 'Madrid',
          postalCode: '28013',
          country: 'ES',
        },
      }).equivalent,
    ).toBe(true);
  });
});
