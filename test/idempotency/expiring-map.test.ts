import { ExpiringMap } from '../../src/idempotency/expiring-map';

describe('ExpiringMap', () => {
  let now = 0;
  const map = () => new ExpiringMap<string>(() => now);

  beforeEach(() => {
    now = 1_000;
  });

  it('reads an entry until its TTL has passed, then as absent', () => {
    const entries = map();
    entries.set('k', 'v', 500);
    now = 1_499;
    expect(entries.get('k')).toBe('v');
    now = 1_500;
    expect(entries.get('k')).toBeUndefined();
  });

  it('replaces a live value and keeps its expiry, and refuses an expired or missing one', () => {
    const entries = map();
    entries.setUntil('k', 'v1', 2_000);
    expect(entries.replace('k', 'v2')).toBe(true);
    now = 1_999;
    expect(entries.get('k')).toBe('v2');
    now = 2_000;
    expect(entries.replace('k', 'v3')).toBe(false);
    expect(entries.replace('missing', 'v')).toBe(false);
    expect(entries.get('k')).toBeUndefined();
  });

  it('deletes an entry', () => {
    const entries = map();
    entries.set('k', 'v', 500);
    expect(entries.delete('k')).toBe(true);
    expect(entries.get('k')).toBeUndefined();
  });
});
