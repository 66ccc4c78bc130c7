import fc from 'fast-check';
import { DuplicateGrouper } from '../../src/dedupe/duplicate-grouper';
import type { OrderGroup } from '../../src/dedupe/duplicate-grouper';
import { compareOrders } from '../../src/dedupe/order-matcher';
import type { MatchableOrder } from '../../src/dedupe/order-matcher';

interface Named extends MatchableOrder {
  name: string;
}

const MINUTE = 60_000;
const start = Date.UTC(2026, 0, 1);
const address = (line1: string) => ({ line1, city: 'Leeds', postalCode: 'LS1 4AB', country: 'GB' });
const order = (name: string, customerId: string, minute: number, line1 = '12 Mill Road', quantity = 1): Named => ({
  name,
  customerId,
  currency: 'GBP',
  lines: [{ sku: 'TEA-1', quantity }],
  shippingAddress: address(line1),
  createdAt: new Date(start + minute * MINUTE),
});

function group(orders: Named[], windowMs?: number): { groups: string[][]; handedOutBeforeFlush: number } {
  const groups: OrderGroup<Named>[] = [];
  const grouper = new DuplicateGrouper<Named>({
    ...(windowMs ? { windowMs } : {}),
    onGroup: (found) => groups.push(found),
  });
  for (const next of orders) grouper.add(next);
  const handedOutBeforeFlush = groups.length;
  grouper.flush();
  return {
    groups: groups.map((found) => [found.survivor.name, ...found.duplicates.map((duplicate) => duplicate.order.name)]),
    handedOutBeforeFlush,
  };
}

describe('DuplicateGrouper', () => {
  it('puts re-typed repeats under the earliest order, and keeps other customers, numbers and quantities apart', () => {
    const { groups } = group([
      order('a1', 'a', 0),
      order('a2', 'a', 2, '12 Mil Rd'),
      order('a3', 'a', 9, '12 Mill Raod'), // 9 minutes after a1, 7 after a2: joins through the chain
      order('a4', 'a', 9, '14 Mill Road'),
      order('a5', 'a', 10, '12 Mill Road', 2),
      order('b1', 'b', 1),
    ]);
    expect(groups).toEqual([['a1', 'a2', 'a3']]);
  });

  it('hands a group out as soon as no later order can join it, so memory holds one window', () => {
    const { groups, handedOutBeforeFlush } = group([
      order('a1', 'a', 0),
      order('a2', 'a', 1),
      order('a3', 'a', 30),
      order('a4', 'a', 31),
    ]);
    expect(groups).toEqual([
      ['a1', 'a2'],
      ['a3', 'a4'],
    ]);
    expect(handedOutBeforeFlush).toBe(1);
  });

  it('groups an order exactly when the live check would hold it: some earlier order of the window is equivalent', () => {
    const streets = ['12 Mill Road', '12 Mil Road', '12 Mill Rd', '14 Mill Road', '12 Hill Road'];
    const arbitraryOrder = fc.record({
      customer: fc.constantFrom('a', 'b'),
      minute: fc.integer({ min: 0, max: 40 }),
      street: fc.constantFrom(...streets),
      quantity: fc.integer({ min: 1, max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryOrder, { minLength: 1, maxLength: 25 }), (drawn) => {
        const orders = drawn
          .map((d, index) => order(`o${index}`, d.customer, d.minute, d.street, d.quantity))
          .sort((x, y) => x.customerId.localeCompare(y.customerId) || x.createdAt.getTime() - y.createdAt.getTime());
        const grouped = new Set(group(orders).groups.flatMap((members) => members.slice(1)));
        const held = orders.filter((later, index) =>
          orders.slice(0, index).some((earlier) => compareOrders(later, earlier).equivalent),
        );
        expect([...grouped].sort()).toEqual(held.map((held) => held.name).sort());
      }),
      { numRuns: 200, seed: 42 },
    );
  });
});
