import { TtlCache } from '../../src/stores/ttl-cache';

describe("TtlCache (the embedded stores' memory)", () => {
  let now = 0;
  const cache = (maxEntries?: number) => new TtlCache<{ v: string }>({ now: () => now, maxEntries });

  beforeEach(() => {
    now = 1_000;
  });

  it('reads an entry until its TTL has passed, then as absent', () => {
    const entries = cache();
    entries.set('k', { v: 'v' }, 500);
    now = 1_500;
    expect(entries.get('k')).toEqual({ v: 'v' });
    now = 1_501;
    expect(entries.get('k')).toBeUndefined();
  });

  it('replaces a live value and keeps its expiry, and refuses an expired or missing one', () => {
    const entries = cache();
    entries.setUntil('k', { v: 'v1' }, 2_000);
    now = 1_500;
    expect(entries.replace('k', { v: 'v2' })).toBe(true);
    now = 2_000;
    expect(entries.get('k')).toEqual({ v: 'v2' });
    now = 2_001;
    expect(entries.replace('k', { v: 'v3' })).toBe(false);
    expect(entries.replace('missing', { v: 'v' })).toBe(false);
    expect(entries.get('k')).toBeUndefined();
  });

  it('deletes an entry, and treats a TTL that has already passed as a delete', () => {
    const entries = cache();
    entries.set('k', { v: 'v' }, 500);
    expect(entries.delete('k')).toBe(true);
    expect(entries.get('k')).toBeUndefined();
    entries.set('gone', { v: 'v' }, 500);
    entries.setUntil('gone', { v: 'w' }, now - 1);
    expect(entries.get('gone')).toBeUndefined();
  });

  it('stays within its bound, dropping the least recently used entries first', () => {
    const entries = cache(3);
    for (const key of ['a', 'b', 'c']) entries.set(key, { v: key }, 60_000);
    entries.get('a');
    entries.set('d', { v: 'd' }, 60_000);
    expect(entries.size).toBe(3);
    expect(entries.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((key) => entries.get(key)?.v)).toEqual(['a', 'c', 'd']);
  });
});
