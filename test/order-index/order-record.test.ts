import { parseOrderRecordLine } from '../../src/order-index/order-record';

const record = {
  externalId: 'shop-1',
  channel: 'WEB',
  customerId: 'cust-1',
  createdAt: '2026-01-02T03:04:05.000Z',
  currency: 'EUR',
  items: [{ sku: 'TEA-1', quantity: 1 }],
  shippingAddress: { line1: '12 Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' },
};

describe('an import line', () => {
  it('is a record when it matches the contract', () => {
    expect(parseOrderRecordLine(JSON.stringify(record))).toEqual({ record });
  });

  it.each([
    ['customerId', { ...record, customerId: 'cust\u00001' }, 'customerId'],
    ['externalId', { ...record, externalId: 'shop-\ud83d' }, 'externalId'],
    [
      'an address field',
      { ...record, shippingAddress: { ...record.shippingAddress, city: 'Lon\u0000don' } },
      'shippingAddress.city',
    ],
    ['a SKU', { ...record, items: [{ sku: 'TEA\udc4d', quantity: 1 }] }, 'items[0].sku'],
  ])('is refused, naming where, when %s holds text PostgreSQL cannot store as sent', (_, value, where) => {
    expect(parseOrderRecordLine(JSON.stringify(value))).toEqual({
      problem: `${where}: holds a NUL (U+0000) or half of a UTF-16 surrogate pair`,
    });
  });

  it('keeps text of any script, emoji included', () => {
    const value = { ...record, customerId: 'クライアント 🍵' };
    expect(parseOrderRecordLine(JSON.stringify(value))).toEqual({ record: value });
  });
});
