import { createHash, randomUUID } from 'node:crypto';
import { orderFromReplay, replayOf } from '../../src/orders/order-replay';
import { OrderStatus, SalesChannel } from '../../src/orders/order.type';
import type { Order } from '../../src/orders/order.type';

function orderWith(overrides: Partial<Order> = {}): Order {
  const id = randomUUID();
  return {
    id,
    customerId: 'ada',
    idempotencyKey: 'key-1',
    fingerprint: createHash('sha256').update(id).digest('hex'),
    orderTokenId: null,
    status: OrderStatus.CONFIRMED,
    channel: SalesChannel.WEB,
    currency: 'EUR',
    totalCents: 3 * 250 + 90,
    createdAt: new Date('2026-12-01T20:00:00.123Z'),
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 Example Street',
      city: 'London',
      postalCode: 'NW1 6XE',
      country: 'GB',
    },
    possibleDuplicateOfId: null,
    mergedIntoId: null,
    items: [
      { orderId: id, productId: randomUUID(), sku: 'A-1', quantity: 3, unitPriceCents: 250 },
      { orderId: id, productId: randomUUID(), sku: 'B|2 "x"', quantity: 1, unitPriceCents: 90 },
    ],
    ...overrides,
  };
}

/** As a repeat reads it: the claim gives the id, the fingerprint and the creation, the key the customer and key. */
const replayed = (order: Order, replay = replayOf(order)) =>
  orderFromReplay(
    replay,
    { resourceId: order.id, fingerprint: order.fingerprint, firstSeenAt: order.createdAt },
    { customerId: order.customerId, key: order.idempotencyKey },
  );

describe('the order replay kept with a completed claim', () => {
  it('keeps only what the claim and its key do not say, and gives the whole order back', () => {
    const order = orderWith();
    const replay = replayOf(order);
    expect(typeof replay).toBe('string');
    for (const said of [order.id, order.customerId, order.idempotencyKey, order.fingerprint])
      expect(replay as string).not.toContain(said);
    expect(replayed(order, replay)).toEqual(order);
  });

  it.each<[string, Partial<Order>]>([
    [
      'no address, merged into another, flagged as a possible duplicate',
      {
        shippingAddress: null,
        status: OrderStatus.CANCELLED,
        mergedIntoId: randomUUID(),
        possibleDuplicateOfId: randomUUID(),
      },
    ],
    ['an order token, from the POS channel', { orderTokenId: 'f'.repeat(32), channel: SalesChannel.POS }],
    ["a total that is not the items' sum", { totalCents: 1 }],
    [
      'an address with an empty field',
      { shippingAddress: { line1: 'x', line2: '', city: 'c', postalCode: 'p', country: 'GB' } },
    ],
  ])('round-trips an order with %s', (_, overrides) => {
    const order = orderWith(overrides);
    expect(replayed(order)).toEqual(order);
  });

  it('keeps an order it cannot write compactly (a NUL in a text) as version 1, which reads back too', () => {
    const order = orderWith({ currency: 'E\u0000R' });
    const replay = replayOf(order);
    expect(replay).toMatchObject({ v: 1, order: { id: order.id } });
    expect(replayed(order, replay)).toEqual(order);
  });

  it('a replay of an unknown version is no answer (the repeat reads the database)', () => {
    const order = orderWith();
    expect(replayed(order, '9\u0000whatever')).toBeNull();
    expect(replayed(order, { v: 9 } as never)).toBeNull();
  });

  it('keeps no replay of an order larger than 50 items', () => {
    const order = orderWith();
    const items = Array.from({ length: 51 }, (_, index) => ({ ...order.items![0], sku: `S-${index}` }));
    expect(replayOf({ ...order, items })).toBeUndefined();
  });
});
