import fc from 'fast-check';
import type { CreateOrderInput } from '../../src/orders/create-order.input';
import { fingerprintOrderRequest, parseOrderRequest } from '../../src/orders/order-request';
import { SalesChannel } from '../../src/orders/order.type';

function fingerprint(customerId: string, input: CreateOrderInput): string {
  const parsed = parseOrderRequest(input);
  if (!parsed.ok) throw new Error(`unexpected validation failure: ${parsed.message}`);
  return fingerprintOrderRequest(customerId, parsed.request);
}

const base: CreateOrderInput = {
  currency: 'EUR',
  channel: SalesChannel.WEB,
  items: [
    { sku: 'TEA-1', quantity: 2 },
    { sku: 'MUG-7', quantity: 1 },
  ],
};

describe('request fingerprinting', () => {
  it('gives equivalent payloads equal fingerprints', () => {
    const expected = fingerprint('alice', base);
    expect(fingerprint('alice', { ...base, items: [...base.items].reverse() })).toBe(expected);
    expect(fingerprint('alice', { ...base, currency: ' eur ' })).toBe(expected);
    expect(fingerprint('alice', { ...base, channel: null })).toBe(expected);
    expect(fingerprint('alice', { ...base, channel: undefined })).toBe(expected);
    expect(
      fingerprint('alice', {
        ...base,
        items: [
          { sku: 'tea-1', quantity: 1 },
          { sku: ' MUG-7 ', quantity: 1 },
          { sku: 'TEA-1', quantity: 1 },
        ],
      }),
    ).toBe(expected);
    expect(fingerprint('alice', { ...base, orderToken: 'a-one-time-token' })).toBe(expected);
  });

  it('gives different payloads different fingerprints', () => {
    const expected = fingerprint('alice', base);
    const variants: CreateOrderInput[] = [
      { ...base, currency: 'USD' },
      { ...base, channel: SalesChannel.MOBILE },
      { ...base, items: [{ sku: 'TEA-1', quantity: 3 }, base.items[1]] },
      { ...base, items: [base.items[0]] },
      { ...base, items: [...base.items, { sku: 'SPOON-1', quantity: 1 }] },
    ];
    const fingerprints = variants.map((variant) => fingerprint('alice', variant));
    expect(fingerprints).not.toContain(expected);
    expect(new Set(fingerprints).size).toBe(variants.length);
    expect(fingerprint('bob', base)).not.toBe(expected);
  });

  it('ignores the order of lines and how quantities are split (property)', () => {
    const line = fc.record({
      sku: fc.constantFrom('A-1', 'B-2', 'C-3', 'D-4'),
      quantity: fc.integer({ min: 1, max: 50 }),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.integer(), (items, seed) => {
        const shuffled = [...items].sort(() => (seed % 3) - 1);
        const split = items.flatMap((item) =>
          item.quantity > 1
            ? [
                { sku: item.sku.toLowerCase(), quantity: 1 },
                { sku: item.sku, quantity: item.quantity - 1 },
              ]
            : [item],
        );
        const original = fingerprint('c', { currency: 'EUR', items });
        return (
          fingerprint('c', { currency: 'EUR', items: shuffled }) === original &&
          fingerprint('c', { currency: 'EUR', items: split }) === original
        );
      }),
    );
  });

  it('changes whenever the merged quantities change (property)', () => {
    const quantities = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(quantities, quantities, (a, b) => {
        const input = (q: number[]): CreateOrderInput => ({
          currency: 'EUR',
          items: q.map((quantity, i) => ({ sku: `S-${i}`, quantity })),
        });
        const same = a.every((quantity, i) => quantity === b[i]);
        return (fingerprint('c', input(a)) === fingerprint('c', input(b))) === same;
      }),
    );
  });
});

describe('request validation', () => {
  it.each([
    [{ ...base, items: [] }, 'items'],
    [{ ...base, currency: 'EURO' }, 'currency'],
    [{ ...base, currency: '€' }, 'currency'],
    [{ ...base, items: [{ sku: 'TEA-1', quantity: 0 }] }, 'items[0].quantity'],
    [
      {
        ...base,
        items: [
          { sku: 'TEA-1', quantity: 1 },
          { sku: 'TEA-2', quantity: -3 },
        ],
      },
      'items[1].quantity',
    ],
    [{ ...base, items: [{ sku: '   ', quantity: 1 }] }, 'items[0].sku'],
    [{ ...base, items: [{ sku: 'X'.repeat(65), quantity: 1 }] }, 'items[0].sku'],
    [{ ...base, items: [{ sku: 'TEA-1', quantity: 10_001 }] }, 'items'],
    [{ ...base, items: Array.from({ length: 101 }, (_, i) => ({ sku: `S-${i}`, quantity: 1 })) }, 'items'],
    // PostgreSQL's text cannot hold a NUL: a typed answer, not a failed INSERT.
    [{ ...base, items: [{ sku: 'TEA\u00001', quantity: 1 }] }, 'items[0].sku'],
    [
      { ...base, shippingAddress: { line1: '1 Main St\u0000', city: 'Springfield', postalCode: '1', country: 'us' } },
      'shippingAddress.line1',
    ],
  ])('rejects %j on field %s', (input, field) => {
    const parsed = parseOrderRequest(input);
    expect(parsed).toMatchObject({ ok: false, field });
  });
});
