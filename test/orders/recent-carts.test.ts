import { RecentCarts } from '../../src/orders/recent-carts';

describe('RecentCarts (the guess of which orders are quiet)', () => {
  it('knows a cart placed within the window, per customer, and forgets it after the window', () => {
    const recent = new RecentCarts();
    recent.remember('c1', 'aa', 1_000);
    expect(recent.placedWithin('c1', 'aa', 600, 1_600)).toBe(true);
    expect(recent.placedWithin('c1', 'aa', 600, 1_601)).toBe(false);
    expect(recent.placedWithin('c2', 'aa', 600, 1_100)).toBe(false);
    expect(recent.placedWithin('c1', 'bb', 600, 1_100)).toBe(false);
    // Placed again: the window starts over.
    recent.remember('c1', 'aa', 1_500);
    expect(recent.placedWithin('c1', 'aa', 600, 2_000)).toBe(true);
  });

  it('keeps at most maxEntries, dropping the least recently placed', () => {
    const recent = new RecentCarts(2);
    recent.remember('c1', 'aa', 1);
    recent.remember('c2', 'aa', 2);
    recent.remember('c1', 'aa', 3);
    recent.remember('c3', 'aa', 4);
    expect(recent.size).toBe(2);
    expect(recent.placedWithin('c2', 'aa', 10, 5)).toBe(false);
    expect(recent.placedWithin('c1', 'aa', 10, 5)).toBe(true);
    expect(recent.placedWithin('c3', 'aa', 10, 5)).toBe(true);
  });
});
