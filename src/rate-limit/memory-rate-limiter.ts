import type { RateLimitSetting } from '../config/config';
import { verdictOf } from './rate-limiter';
import type { RateLimitVerdict, RateLimiter } from './rate-limiter';

/** A fixed-window limiter in process memory, for the single-instance embedded mode. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly setting: RateLimitSetting,
    private readonly now: () => number = Date.now,
  ) {}

  async consume(subject: string): Promise<RateLimitVerdict> {
    const now = this.now();
    let window = this.windows.get(subject);
    if (!window || window.endsAt <= now) {
      if (this.windows.size > 10_000) this.sweep(now);
      window = { count: 0, endsAt: now + this.setting.windowMs };
      this.windows.set(subject, window);
    }
    window.count += 1;
    return verdictOf(window.count, this.setting.count, window.endsAt - now);
  }

  private sweep(now: number): void {
    for (const [subject, window] of this.windows) if (window.endsAt <= now) this.windows.delete(subject);
  }
}
