/** Writes between two sweeps of expired entries. */
const SWEEP_EVERY_WRITES = 1_000;

interface Entry<V> {
  value: V;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * A Map whose entries expire: the in-process stand-in for Redis keys with a TTL, used by the
 * embedded mode's claim and token stores. Expired entries read as absent; entries nobody asks
 * for again are swept out now and then.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private writesSinceSweep = 0;

  /** @param now the clock, epoch milliseconds (tests pass a fake one). Default `Date.now`. */
  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Sets the value for `ttlMs` milliseconds from now. */
  set(key: string, value: V, ttlMs: number): void {
    this.setUntil(key, value, this.now() + ttlMs);
  }

  /** Sets the value until `expiresAt` (epoch milliseconds). */
  setUntil(key: string, value: V, expiresAt: number): void {
    this.entries.set(key, { value, expiresAt });
    if (++this.writesSinceSweep >= SWEEP_EVERY_WRITES) this.sweep();
  }

  /** Replaces a live entry's value and keeps its expiry (Redis's KEEPTTL); false if there is none. */
  replace(key: string, value: V): boolean {
    if (this.get(key) === undefined) return false;
    this.entries.get(key)!.value = value; // live: get() just read it
    return true;
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  private sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
