import { compareOrders, semanticFingerprint } from '../../src/dedupe/order-matcher';
import type { MatchableOrder } from '../../src/dedupe/order-matcher';
import { parseSemanticDuplicatePolicy } from '../../src/config/semantic-duplicate-policy';
import { addressKey } from '../../src/dedupe/shipping-address';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes));
const base: MatchableOrder = {
  customerId: 'c1',
  currency: 'EUR',
  lines: [
    { sku: 'TEA-1', quantity: 2 },
    { sku: 'CUP-9', quantity: 1 },
  ],
  shippingAddress: { line1: '221B Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' },
  createdAt: at(0),
};

describe('the order matcher', () => {
  it('treats SKU case and spaces, split and reordered lines, and a reformatted address as the same order', () => {
    const reformatted: MatchableOrder = {
      ...base,
      currency: 'eur',
      lines: [
        { sku: 'cup-9 ', quantity: 1 },
        { sku: ' tea-1', quantity: 1 },
        { sku: 'TEA-1', quantity: 1 },
      ],
      shippingAddress: { line1: '221b  Baker St.', city: 'LONDON', postalCode: 'nw16xe', country: 'gb' },
      createdAt: at(4),
    };
    expect(compareOrders(base, reformatted)).toEqual({
      equivalent: true,
      similarity: 1,
      reasons: ['same items and quantities', 'same currency', 'same shipping address', 'placed 240 s apart', 'same customer'],
    });
    expect(semanticFingerprint(reformatted)).toBe(semanticFingerprint(base));
  });

  it('normalises the common street abbreviations and postal-code formats', () => {
    const key = (line1: string, postalCode = '10001') => addressKey({ line1, city: 'New York', postalCode, country: 'us' });
    expect(key('5 North Avenue')).toBe(key('5 N. Ave'));
    expect(key('7 Mill Road, Suite 2')).toBe(key('7 mill rd ste 2'));
    expect(key('1 Elm Street', '10001-0001')).toBe(key('1 elm st', '100010001'));
    expect(key('1 Elm Street')).not.toBe(key('3 Elm Street'));
  });

  it('does not match other quantities, another address, another currency, another customer, or outside the window', () => {
    const other = (change: Partial<MatchableOrder>) => compareOrders(base, { ...base, ...change }).equivalent;
    expect(other({ lines: [{ sku: 'TEA-1', quantity: 3 }, { sku: 'CUP-9', quantity: 1 }] })).toBe(false);
    expect(other({ shippingAddress: { ...base.shippingAddress!, line1: '10 Downing Street' } })).toBe(false);
    expect(other({ shippingAddress: null })).toBe(false);
    expect(other({ currency: 'GBP' })).toBe(false);
    expect(other({ customerId: 'c2' })).toBe(false);
    expect(other({ createdAt: at(11) })).toBe(false);
    expect(compareOrders(base, { ...base, createdAt: at(11) }, 15 * 60_000).equivalent).toBe(true);
  });

  it('scores partial likeness between 0 and 1', () => {
    const match = compareOrders(base, { ...base, lines: [{ sku: 'TEA-1', quantity: 2 }] });
    expect(match.equivalent).toBe(false);
    expect(match.similarity).toBeCloseTo(0.6 * (4 / 5) + 0.3 + 0.1, 3);
    expect(match.reasons).not.toContain('same items and quantities');
  });
});

describe('SEMANTIC_DUPLICATE_POLICY', () => {
  it('reads per-channel pairs over a default', () => {
    expect(parseSemanticDuplicatePolicy('FLAG,WEB:hold, pos:OFF')).toEqual({ WEB: 'HOLD', MOBILE: 'FLAG', MARKETPLACE: 'FLAG', POS: 'OFF', API: 'FLAG' });
    expect(parseSemanticDuplicatePolicy('MARKETPLACE:FLAG')).toMatchObject({ WEB: 'HOLD', MARKETPLACE: 'FLAG' });
  });

  it('names the bad part', () => {
    expect(parseSemanticDuplicatePolicy('WEB:BLOCK')).toBe('"WEB:BLOCK": the policy must be HOLD, FLAG or OFF');
    expect(parseSemanticDuplicatePolicy('FAX:HOLD')).toBe('"FAX:HOLD": unknown sales channel FAX');
  });
});
