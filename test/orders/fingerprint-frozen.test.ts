import type { CreateOrderInput } from '../../src/orders/create-order.input';
import { fingerprintOrderRequest, parseOrderRequest } from '../../src/orders/order-request';
import { SalesChannel } from '../../src/orders/order.type';

// Fingerprints a released version stored, frozen: a key placed before a deploy and retried after it
// is matched by its fingerprint, so a change to how a valid payload is fingerprinted turns every such
// retry into IdempotencyKeyReused. Computed at e1b99fa (before the canonical form and the rules were
// split, so that refused payloads have a fingerprint too).
const FROZEN: [string, CreateOrderInput, string][] = [
  [
    'alice',
    {
      currency: 'EUR',
      channel: SalesChannel.WEB,
      items: [
        { sku: 'TEA-1', quantity: 2 },
        { sku: 'MUG-7', quantity: 1 },
      ],
    },
    'cc0add8a9b4db93d8833bb0da70f4a2983399946d2e014c90da9df5227fce377',
  ],
  [
    'bob',
    {
      currency: ' usd ',
      channel: SalesChannel.MOBILE,
      items: [
        { sku: 'b-2', quantity: 1 },
        { sku: 'A-1', quantity: 3 },
        { sku: 'b-2', quantity: 4 },
      ],
    },
    'a89ffc2138309dba563dbcb28dbbae8c1c206bec55a798bc0502fb6ec980321c',
  ],
  [
    'carol',
    {
      currency: 'JPY',
      items: [{ sku: 'KIT', quantity: 1 }],
      shippingAddress: {
        name: ' Ada Lovelace ',
        line1: '221B Baker Street',
        line2: 'Flat 4',
        city: 'London',
        region: '',
        postalCode: 'NW1 6XE',
        country: 'gb',
      },
    },
    'dd951913798f41f8c35b60c6dc608d06608f1fc93e3ac0a7c1bb65b1a298719f',
  ],
  [
    'dmitri',
    {
      currency: 'rub',
      channel: SalesChannel.API,
      items: [{ sku: 'ЧАЙ-1', quantity: 2 }],
      shippingAddress: { line1: 'ул. Ленина, 5', city: 'Москва', postalCode: '101000', country: 'RU' },
    },
    '8084142dd7269c28e30018bad97a35f0ec08d22d11dbcbea4c981aaa82a2517d',
  ],
];

describe('order fingerprints across versions', () => {
  it.each(FROZEN)('fingerprints %s’s payload as the released version did', (customerId, input, expected) => {
    const parsed = parseOrderRequest(input);
    expect(parsed.ok).toBe(true);
    expect(fingerprintOrderRequest(customerId, parsed.request)).toBe(expected);
  });
});
